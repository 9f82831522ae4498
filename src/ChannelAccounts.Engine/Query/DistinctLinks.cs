using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// A distinct query (FetchXML distinct="true", QueryExpression.Distinct) returns each row once. Every row here carries
/// its primary id, so only a link to the many side of a relationship repeats rows; such a link that returns no columns
/// and that no condition or order names is, for a distinct query, only a test of related rows: an inner one becomes
/// Exists (the row once, if a related row matches), an outer one nothing at all (it filters nothing). A link whose
/// columns are returned stays a join: its rows differ by those columns.
/// </summary>
internal static class DistinctLinks
{
    /// <summary>The links to join; the query itself is left as it is.</summary>
    public static IReadOnlyList<LinkEntity> Of(QueryExpression query, MetadataCatalog catalog)
    {
        if (!query.Distinct || query.LinkEntities.Count == 0)
        {
            return query.LinkEntities;
        }

        var named = new HashSet<string>(StringComparer.Ordinal);
        AddNames(query.Criteria, named);
        named.UnionWith(query.Orders.Select(o => o.EntityName).OfType<string>());
        var links = new List<LinkEntity>(query.LinkEntities.Count);
        foreach (var link in query.LinkEntities)
        {
            if (LinkTree.IsTest(link) || !Repeats(link, catalog) || !Silent(link, named))
            {
                links.Add(link);
            }
            else if (link.JoinOperator == JoinOperator.Inner)
            {
                links.Add(AsExists(link));
            }
        }

        return links;
    }

    private static void AddNames(FilterExpression filter, HashSet<string> named)
    {
        named.UnionWith(filter.Conditions.Select(c => c.EntityName).OfType<string>());
        foreach (var child in filter.Filters)
        {
            AddNames(child, named);
        }
    }

    /// <summary>Whether the link, or one nested in it, joins the many side of a relationship (its rows repeat the row they join).</summary>
    private static bool Repeats(LinkEntity link, MetadataCatalog catalog) =>
        (catalog.TryGetByLogicalName(link.LinkToEntityName, out var target) && target.PrimaryIdAttribute != link.LinkToAttributeName)
        || link.LinkEntities.Any(l => !LinkTree.IsTest(l) && Repeats(l, catalog));

    /// <summary>Whether neither the link nor one nested in it returns a column, orders the rows, or is named by a condition or order.</summary>
    private static bool Silent(LinkEntity link, HashSet<string> named) =>
        LinkTree.IsTest(link)
        || (!link.Columns.AllColumns && link.Columns.Columns.Count == 0 && link.Orders.Count == 0 && !named.Contains(LinkTree.AliasOf(link))
            && link.LinkEntities.All(l => Silent(l, named)));

    private static LinkEntity AsExists(LinkEntity link)
    {
        var exists = new LinkEntity(link.LinkFromEntityName, link.LinkToEntityName, link.LinkFromAttributeName, link.LinkToAttributeName, JoinOperator.Exists)
        {
            EntityAlias = link.EntityAlias,
            LinkCriteria = link.LinkCriteria,
        };
        exists.LinkEntities.AddRange(link.LinkEntities);
        return exists;
    }
}
