namespace ChannelAccounts.Sdk.Query;

/// <summary>A query by column values (all conditions Equal, joined by And), as in Microsoft.Xrm.Sdk.Query.</summary>
public sealed class QueryByAttribute : QueryBase
{
    public QueryByAttribute() { }

    public QueryByAttribute(string entityName) => EntityName = entityName;

    public string EntityName { get; set; } = "";

    public ColumnSet ColumnSet { get; set; } = new();

    public List<string> Attributes { get; } = new();

    public List<object?> Values { get; } = new();

    public List<OrderExpression> Orders { get; } = new();

    public PagingInfo PageInfo { get; set; } = new();

    public int? TopCount { get; set; }

    public void AddAttributeValue(string attributeName, object? value)
    {
        Attributes.Add(attributeName);
        Values.Add(value);
    }

    public void AddOrder(string attributeName, OrderType orderType) => Orders.Add(new OrderExpression(attributeName, orderType));

    /// <summary>The same query as a QueryExpression: one Equal (or Null, for a null value) condition per attribute.</summary>
    public QueryExpression ToQueryExpression()
    {
        if (Attributes.Count != Values.Count)
        {
            throw new InvalidOperationException(
                $"QueryByAttribute has {Attributes.Count} attribute(s) but {Values.Count} value(s); give one value per attribute.");
        }

        var query = new QueryExpression(EntityName) { ColumnSet = ColumnSet, PageInfo = PageInfo, TopCount = TopCount };
        for (var i = 0; i < Attributes.Count; i++)
        {
            query.Criteria.AddCondition(Values[i] is null
                ? new ConditionExpression(Attributes[i], ConditionOperator.Null)
                : new ConditionExpression(Attributes[i], ConditionOperator.Equal, Values[i]));
        }

        query.Orders.AddRange(Orders);
        return query;
    }
}
