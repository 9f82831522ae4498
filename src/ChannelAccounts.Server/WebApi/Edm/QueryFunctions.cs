using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>What a Dataverse query function takes besides PropertyName.</summary>
public enum QueryFunctionValueKind
{
    /// <summary>Only PropertyName (Today, EqualUserId, ...).</summary>
    None,

    /// <summary>PropertyValue: Edm.String (On, NotOn, OnOrAfter, OnOrBefore).</summary>
    StringValue,

    /// <summary>PropertyValue: Edm.Int64 (LastXDays, OlderThanXMonths...).</summary>
    Int64Value,

    /// <summary>PropertyValues: Collection(Edm.String) (In, NotIn, Between, NotBetween).</summary>
    StringValues,
}

/// <summary>One of Dataverse's query functions (Microsoft.Dynamics.CRM.In, LastXDays, ...) usable in $filter.</summary>
public sealed record QueryFunction(string Name, ConditionOperator Operator, QueryFunctionValueKind ValueKind)
{
    public const string PropertyNameParameter = "PropertyName";
    public const string PropertyValueParameter = "PropertyValue";
    public const string PropertyValuesParameter = "PropertyValues";

    /// <summary>The query functions we support, by name (case-sensitive, as Dataverse's).</summary>
    public static IReadOnlyDictionary<string, QueryFunction> All { get; } = new QueryFunction[]
    {
        new("In", ConditionOperator.In, QueryFunctionValueKind.StringValues),
        new("NotIn", ConditionOperator.NotIn, QueryFunctionValueKind.StringValues),
        new("Between", ConditionOperator.Between, QueryFunctionValueKind.StringValues),
        new("NotBetween", ConditionOperator.NotBetween, QueryFunctionValueKind.StringValues),
        new("On", ConditionOperator.On, QueryFunctionValueKind.StringValue),
        new("OnOrAfter", ConditionOperator.OnOrAfter, QueryFunctionValueKind.StringValue),
        new("OnOrBefore", ConditionOperator.OnOrBefore, QueryFunctionValueKind.StringValue),
        new("Today", ConditionOperator.Today, QueryFunctionValueKind.None),
        new("Yesterday", ConditionOperator.Yesterday, QueryFunctionValueKind.None),
        new("Tomorrow", ConditionOperator.Tomorrow, QueryFunctionValueKind.None),
        new("Last7Days", ConditionOperator.Last7Days, QueryFunctionValueKind.None),
        new("Next7Days", ConditionOperator.Next7Days, QueryFunctionValueKind.None),
        new("LastXDays", ConditionOperator.LastXDays, QueryFunctionValueKind.Int64Value),
        new("NextXDays", ConditionOperator.NextXDays, QueryFunctionValueKind.Int64Value),
        new("ThisWeek", ConditionOperator.ThisWeek, QueryFunctionValueKind.None),
        new("LastWeek", ConditionOperator.LastWeek, QueryFunctionValueKind.None),
        new("NextWeek", ConditionOperator.NextWeek, QueryFunctionValueKind.None),
        new("ThisMonth", ConditionOperator.ThisMonth, QueryFunctionValueKind.None),
        new("LastMonth", ConditionOperator.LastMonth, QueryFunctionValueKind.None),
        new("NextMonth", ConditionOperator.NextMonth, QueryFunctionValueKind.None),
        new("ThisYear", ConditionOperator.ThisYear, QueryFunctionValueKind.None),
        new("LastYear", ConditionOperator.LastYear, QueryFunctionValueKind.None),
        new("NextYear", ConditionOperator.NextYear, QueryFunctionValueKind.None),
        new("LastXHours", ConditionOperator.LastXHours, QueryFunctionValueKind.Int64Value),
        new("NextXHours", ConditionOperator.NextXHours, QueryFunctionValueKind.Int64Value),
        new("LastXWeeks", ConditionOperator.LastXWeeks, QueryFunctionValueKind.Int64Value),
        new("NextXWeeks", ConditionOperator.NextXWeeks, QueryFunctionValueKind.Int64Value),
        new("LastXMonths", ConditionOperator.LastXMonths, QueryFunctionValueKind.Int64Value),
        new("NextXMonths", ConditionOperator.NextXMonths, QueryFunctionValueKind.Int64Value),
        new("LastXYears", ConditionOperator.LastXYears, QueryFunctionValueKind.Int64Value),
        new("NextXYears", ConditionOperator.NextXYears, QueryFunctionValueKind.Int64Value),
        new("OlderThanXMinutes", ConditionOperator.OlderThanXMinutes, QueryFunctionValueKind.Int64Value),
        new("OlderThanXHours", ConditionOperator.OlderThanXHours, QueryFunctionValueKind.Int64Value),
        new("OlderThanXDays", ConditionOperator.OlderThanXDays, QueryFunctionValueKind.Int64Value),
        new("OlderThanXWeeks", ConditionOperator.OlderThanXWeeks, QueryFunctionValueKind.Int64Value),
        new("OlderThanXMonths", ConditionOperator.OlderThanXMonths, QueryFunctionValueKind.Int64Value),
        new("OlderThanXYears", ConditionOperator.OlderThanXYears, QueryFunctionValueKind.Int64Value),
        new("NotOn", ConditionOperator.NotOn, QueryFunctionValueKind.StringValue),
        new("EqualUserTeams", ConditionOperator.EqualUserTeams, QueryFunctionValueKind.None),
        new("EqualUserOrUserTeams", ConditionOperator.EqualUserOrUserTeams, QueryFunctionValueKind.None),
        new("EqualUserId", ConditionOperator.EqualUserId, QueryFunctionValueKind.None),
        new("NotEqualUserId", ConditionOperator.NotEqualUserId, QueryFunctionValueKind.None),
        new("EqualBusinessId", ConditionOperator.EqualBusinessId, QueryFunctionValueKind.None),
        new("NotEqualBusinessId", ConditionOperator.NotEqualBusinessId, QueryFunctionValueKind.None),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);
}
