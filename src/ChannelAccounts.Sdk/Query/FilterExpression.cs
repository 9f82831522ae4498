namespace ChannelAccounts.Sdk.Query;

public enum LogicalOperator
{
    And = 0,
    Or = 1,
}

/// <summary>Conditions and nested filters joined by And or Or.</summary>
public sealed class FilterExpression
{
    public FilterExpression() { }

    public FilterExpression(LogicalOperator filterOperator) => FilterOperator = filterOperator;

    public LogicalOperator FilterOperator { get; set; } = LogicalOperator.And;

    public List<ConditionExpression> Conditions { get; } = new();

    public List<FilterExpression> Filters { get; } = new();

    /// <summary>
    /// A test of related rows (JoinOperator Any, NotAny, All or NotAll, linked from the table this filter tests), one
    /// more condition under <see cref="FilterOperator"/>; its columns are not returned.
    /// </summary>
    public LinkEntity? AnyAllFilterLinkEntity { get; set; }

    public void AddCondition(string attributeName, ConditionOperator conditionOperator, params object?[] values) =>
        Conditions.Add(new ConditionExpression(attributeName, conditionOperator, values));

    public void AddCondition(ConditionExpression condition) => Conditions.Add(condition);

    public void AddFilter(FilterExpression filter) => Filters.Add(filter);

    public FilterExpression AddFilter(LogicalOperator logicalOperator)
    {
        var filter = new FilterExpression(logicalOperator);
        Filters.Add(filter);
        return filter;
    }

    public bool IsEmpty => Conditions.Count == 0 && AnyAllFilterLinkEntity is null && Filters.TrueForAll(f => f.IsEmpty);
}
