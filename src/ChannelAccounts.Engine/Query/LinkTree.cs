using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>The links of a query at every depth, each with the link it is joined from (null: the query's own table).</summary>
public static class LinkTree
{
    /// <summary>The joined links (Inner, LeftOuter), whose columns come back; links that only test related rows are left out.</summary>
    public static IEnumerable<(LinkEntity Link, LinkEntity? Parent)> Walk(IEnumerable<LinkEntity> links) => Walk(links, null, every: false);

    /// <summary>Every joined link of the tree, parents before their children.</summary>
    public static IEnumerable<LinkEntity> All(IEnumerable<LinkEntity> links) => Walk(links).Select(l => l.Link);

    /// <summary>
    /// Every link a query names: the joined ones, those that only test related rows (In, Exists...), and those its
    /// filters test (FilterExpression.AnyAllFilterLinkEntity, in the criteria of the query or of a link), with the
    /// link each hangs from: what security and the link limit look at.
    /// </summary>
    public static IEnumerable<(LinkEntity Link, LinkEntity? Parent)> WalkEvery(IEnumerable<LinkEntity> links, FilterExpression? criteria) =>
        Walk(links, null, every: true).Concat(criteria is null ? [] : FilterLinks(criteria, null));

    /// <summary>The alias a link's columns come back under: its EntityAlias, else its table's name.</summary>
    public static string AliasOf(LinkEntity link) => link.EntityAlias ?? link.LinkToEntityName;

    /// <summary>Whether the link only tests related rows (In, Exists, Any, NotAny, All, NotAll): no join, no columns.</summary>
    public static bool IsTest(LinkEntity link) =>
        link.JoinOperator is not (JoinOperator.Inner or JoinOperator.LeftOuter or JoinOperator.MatchFirstRowUsingCrossApply);

    private static IEnumerable<(LinkEntity, LinkEntity?)> Walk(IEnumerable<LinkEntity> links, LinkEntity? parent, bool every)
    {
        foreach (var link in links)
        {
            if (!every && IsTest(link))
            {
                continue;
            }

            yield return (link, parent);
            foreach (var nested in Walk(link.LinkEntities, link, every))
            {
                yield return nested;
            }

            if (every)
            {
                foreach (var tested in FilterLinks(link.LinkCriteria, link))
                {
                    yield return tested;
                }
            }
        }
    }

    private static IEnumerable<(LinkEntity, LinkEntity?)> FilterLinks(FilterExpression filter, LinkEntity? parent)
    {
        if (filter.AnyAllFilterLinkEntity is { } link)
        {
            foreach (var walked in Walk([link], parent, every: true))
            {
                yield return walked;
            }
        }

        foreach (var child in filter.Filters)
        {
            foreach (var walked in FilterLinks(child, parent))
            {
                yield return walked;
            }
        }
    }
}
