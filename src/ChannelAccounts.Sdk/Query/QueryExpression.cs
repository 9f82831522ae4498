namespace ChannelAccounts.Sdk.Query;

/// <summary>A query on one table, as in Microsoft.Xrm.Sdk.Query. OData and FetchXML compile to this same tree.</summary>
public sealed class QueryExpression : QueryBase
{
    public QueryExpression() { }

    public QueryExpression(string entityName) => EntityName = entityName;

    public string EntityName { get; set; } = "";

    public ColumnSet ColumnSet { get; set; } = new();

    public FilterExpression Criteria { get; set; } = new();

    public List<OrderExpression> Orders { get; } = new();

    public List<LinkEntity> LinkEntities { get; } = new();

    public PagingInfo PageInfo { get; set; } = new();

    /// <summary>At most this many rows in all (OData $top); null for no limit.</summary>
    public int? TopCount { get; set; }

    public bool Distinct { get; set; }

    public bool NoLock { get; set; }

    public void AddOrder(string attributeName, OrderType orderType) => Orders.Add(new OrderExpression(attributeName, orderType));

    public LinkEntity AddLink(string linkToEntityName, string linkFromAttributeName, string linkToAttributeName,
        JoinOperator joinOperator = JoinOperator.Inner)
    {
        var link = new LinkEntity(EntityName, linkToEntityName, linkFromAttributeName, linkToAttributeName, joinOperator);
        LinkEntities.Add(link);
        return link;
    }
}
