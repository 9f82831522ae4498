namespace ChannelAccounts.Sdk.Query;

/// <summary>One test of a column against values (or, with CompareColumns, against another column).</summary>
public sealed class ConditionExpression
{
    public ConditionExpression() { }

    public ConditionExpression(string attributeName, ConditionOperator conditionOperator, params object?[] values)
    {
        AttributeName = attributeName;
        Operator = conditionOperator;
        Values = new List<object?>(values ?? [null]);
    }

    public ConditionExpression(string entityName, string attributeName, ConditionOperator conditionOperator, params object?[] values)
        : this(attributeName, conditionOperator, values) => EntityName = entityName;

    /// <summary>The alias of a linked table the column belongs to; null for the query's own table.</summary>
    public string? EntityName { get; set; }

    public string AttributeName { get; set; } = "";

    public ConditionOperator Operator { get; set; }

    public List<object?> Values { get; set; } = new();

    /// <summary>When true, Values holds one column name to compare with instead of a value.</summary>
    public bool CompareColumns { get; set; }
}
