using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>What a Dataverse query function takes besides PropertyName.</summary>
public enum QueryFunctionValueKind
{
    /// <summary>Only PropertyName (Today, EqualUserId, ...).</summary>
    None,

    /// <summary>PropertyValue: Edm.String (On, OnOrAfter, OnOrBefore).</summary>
    StringValue,

    /// <summary>PropertyValue: Edm.Int64 (LastXDays, NextXDays).</summary>
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
        new("EqualUserId", ConditionOperator.EqualUserId, QueryFunctionValueKind.None),
        new("NotEqualUserId", ConditionOperator.NotEqualUserId, QueryFunctionValueKind.None),
        new("EqualBusinessId", ConditionOperator.EqualBusinessId, QueryFunctionValueKind.None),
        new("NotEqualBusinessId", ConditionOperator.NotEqualBusinessId, QueryFunctionValueKind.None),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);
}
