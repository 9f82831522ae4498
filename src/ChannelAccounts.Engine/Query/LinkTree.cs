using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>The links of a query at every depth, each with the link it is joined from (null: the query's own table).</summary>
public static class LinkTree
{
    public static IEnumerable<(LinkEntity Link, LinkEntity? Parent)> Walk(IEnumerable<LinkEntity> links) => Walk(links, null);

    /// <summary>Every link of the tree, parents before their children.</summary>
    public static IEnumerable<LinkEntity> All(IEnumerable<LinkEntity> links) => Walk(links).Select(l => l.Link);

    /// <summary>The alias a link's columns come back under: its EntityAlias, else its table's name.</summary>
    public static string AliasOf(LinkEntity link) => link.EntityAlias ?? link.LinkToEntityName;

    private static IEnumerable<(LinkEntity, LinkEntity?)> Walk(IEnumerable<LinkEntity> links, LinkEntity? parent)
    {
        foreach (var link in links)
        {
            yield return (link, parent);
            foreach (var nested in Walk(link.LinkEntities, link))
            {
                yield return nested;
            }
        }
    }
}
