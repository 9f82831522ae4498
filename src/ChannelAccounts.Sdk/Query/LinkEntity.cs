namespace ChannelAccounts.Sdk.Query;

/// <summary>
/// How a link relates rows (Dataverse's values). Inner and LeftOuter join the linked table, its columns returned;
/// the others only test related rows, returning each parent row at most once and no linked columns: In and Exists
/// (as Inner), and the filter link types Any, NotAny, All and NotAll, which a FilterExpression tests through its
/// AnyAllFilterLinkEntity (FetchXML's link-entity inside a filter).
/// </summary>
public enum JoinOperator
{
    Inner = 0,
    LeftOuter = 1,

    /// <summary>An inner join that joins only the first matching related row, so a one-to-many link repeats no row.</summary>
    MatchFirstRowUsingCrossApply = 3,
    In = 4,
    Exists = 5,

    /// <summary>Parent rows with a related row that meets the link criteria.</summary>
    Any = 6,

    /// <summary>Parent rows with no related row that meets the link criteria.</summary>
    NotAny = 7,

    /// <summary>
    /// Parent rows with related rows none of which meets the link criteria, as Dataverse defines it: invert the
    /// criteria to ask for rows whose related rows all meet them.
    /// </summary>
    All = 8,

    /// <summary>The same as Any, as Dataverse defines it.</summary>
    NotAll = 9,
}

/// <summary>
/// A join to a related table; its columns come back as AliasedValue named "alias.column". A link may hold links of its
/// own, joined from its table (FetchXML's nested link-entity).
/// </summary>
public sealed class LinkEntity
{
    public LinkEntity() { }

    public LinkEntity(string linkFromEntityName, string linkToEntityName, string linkFromAttributeName,
        string linkToAttributeName, JoinOperator joinOperator)
    {
        LinkFromEntityName = linkFromEntityName;
        LinkToEntityName = linkToEntityName;
        LinkFromAttributeName = linkFromAttributeName;
        LinkToAttributeName = linkToAttributeName;
        JoinOperator = joinOperator;
    }

    public string LinkFromEntityName { get; set; } = "";

    public string LinkToEntityName { get; set; } = "";

    public string LinkFromAttributeName { get; set; } = "";

    public string LinkToAttributeName { get; set; } = "";

    public JoinOperator JoinOperator { get; set; }

    public ColumnSet Columns { get; set; } = new();

    public string? EntityAlias { get; set; }

    public FilterExpression LinkCriteria { get; set; } = new();

    /// <summary>Orders by this link's columns, applied after the query's own orders (and those of links before it).</summary>
    public List<OrderExpression> Orders { get; } = [];

    /// <summary>Links joined from this link's table.</summary>
    public List<LinkEntity> LinkEntities { get; } = [];

    /// <summary>Adds a link from this link's table to another one and returns it.</summary>
    public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName,
        JoinOperator joinOperator = JoinOperator.Inner)
    {
        var link = new LinkEntity(LinkToEntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
        LinkEntities.Add(link);
        return link;
    }
}
