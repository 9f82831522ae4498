namespace ChannelAccounts.Sdk.Query;

public enum JoinOperator
{
    Inner = 0,
    LeftOuter = 1,
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
