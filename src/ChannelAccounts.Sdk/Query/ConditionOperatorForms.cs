namespace ChannelAccounts.Sdk.Query;

/// <summary>What a condition operator takes as its values.</summary>
public enum ConditionValueKind
{
    /// <summary>One value or several (eq, in, between...).</summary>
    Values,

    /// <summary>Nothing: the operator says it all (null, today, eq-userid, this-month...).</summary>
    None,

    /// <summary>A whole number of a unit (last-x-days, olderthan-x-months...).</summary>
    Count,

    /// <summary>A calendar day (on, not-on, on-or-before, on-or-after).</summary>
    Day,
}

/// <summary>
/// Each supported operator's FetchXML name and the values it takes: one table for the engine's FetchXML reader and
/// the HTTP client's FetchXML and OData writers, so the three cannot drift apart.
/// </summary>
public static class ConditionOperatorForms
{
    private static readonly (ConditionOperator Operator, string FetchXmlName, ConditionValueKind Kind)[] Table =
    [
        (ConditionOperator.Equal, "eq", ConditionValueKind.Values),
        (ConditionOperator.NotEqual, "ne", ConditionValueKind.Values),
        (ConditionOperator.GreaterThan, "gt", ConditionValueKind.Values),
        (ConditionOperator.GreaterEqual, "ge", ConditionValueKind.Values),
        (ConditionOperator.LessThan, "lt", ConditionValueKind.Values),
        (ConditionOperator.LessEqual, "le", ConditionValueKind.Values),
        (ConditionOperator.Like, "like", ConditionValueKind.Values),
        (ConditionOperator.NotLike, "not-like", ConditionValueKind.Values),
        (ConditionOperator.BeginsWith, "begins-with", ConditionValueKind.Values),
        (ConditionOperator.DoesNotBeginWith, "not-begin-with", ConditionValueKind.Values),
        (ConditionOperator.EndsWith, "ends-with", ConditionValueKind.Values),
        (ConditionOperator.DoesNotEndWith, "not-end-with", ConditionValueKind.Values),
        (ConditionOperator.In, "in", ConditionValueKind.Values),
        (ConditionOperator.NotIn, "not-in", ConditionValueKind.Values),
        (ConditionOperator.Between, "between", ConditionValueKind.Values),
        (ConditionOperator.NotBetween, "not-between", ConditionValueKind.Values),
        (ConditionOperator.Null, "null", ConditionValueKind.None),
        (ConditionOperator.NotNull, "not-null", ConditionValueKind.None),
        (ConditionOperator.EqualUserId, "eq-userid", ConditionValueKind.None),
        (ConditionOperator.NotEqualUserId, "ne-userid", ConditionValueKind.None),
        (ConditionOperator.EqualBusinessId, "eq-businessid", ConditionValueKind.None),
        (ConditionOperator.NotEqualBusinessId, "ne-businessid", ConditionValueKind.None),
        (ConditionOperator.EqualUserTeams, "eq-userteams", ConditionValueKind.None),
        (ConditionOperator.EqualUserOrUserTeams, "eq-useroruserteams", ConditionValueKind.None),
        (ConditionOperator.Today, "today", ConditionValueKind.None),
        (ConditionOperator.Yesterday, "yesterday", ConditionValueKind.None),
        (ConditionOperator.Tomorrow, "tomorrow", ConditionValueKind.None),
        (ConditionOperator.Last7Days, "last-seven-days", ConditionValueKind.None),
        (ConditionOperator.Next7Days, "next-seven-days", ConditionValueKind.None),
        (ConditionOperator.ThisWeek, "this-week", ConditionValueKind.None),
        (ConditionOperator.LastWeek, "last-week", ConditionValueKind.None),
        (ConditionOperator.NextWeek, "next-week", ConditionValueKind.None),
        (ConditionOperator.ThisMonth, "this-month", ConditionValueKind.None),
        (ConditionOperator.LastMonth, "last-month", ConditionValueKind.None),
        (ConditionOperator.NextMonth, "next-month", ConditionValueKind.None),
        (ConditionOperator.ThisYear, "this-year", ConditionValueKind.None),
        (ConditionOperator.LastYear, "last-year", ConditionValueKind.None),
        (ConditionOperator.NextYear, "next-year", ConditionValueKind.None),
        (ConditionOperator.LastXHours, "last-x-hours", ConditionValueKind.Count),
        (ConditionOperator.NextXHours, "next-x-hours", ConditionValueKind.Count),
        (ConditionOperator.LastXDays, "last-x-days", ConditionValueKind.Count),
        (ConditionOperator.NextXDays, "next-x-days", ConditionValueKind.Count),
        (ConditionOperator.LastXWeeks, "last-x-weeks", ConditionValueKind.Count),
        (ConditionOperator.NextXWeeks, "next-x-weeks", ConditionValueKind.Count),
        (ConditionOperator.LastXMonths, "last-x-months", ConditionValueKind.Count),
        (ConditionOperator.NextXMonths, "next-x-months", ConditionValueKind.Count),
        (ConditionOperator.LastXYears, "last-x-years", ConditionValueKind.Count),
        (ConditionOperator.NextXYears, "next-x-years", ConditionValueKind.Count),
        (ConditionOperator.OlderThanXMinutes, "olderthan-x-minutes", ConditionValueKind.Count),
        (ConditionOperator.OlderThanXHours, "olderthan-x-hours", ConditionValueKind.Count),
        (ConditionOperator.OlderThanXDays, "olderthan-x-days", ConditionValueKind.Count),
        (ConditionOperator.OlderThanXWeeks, "olderthan-x-weeks", ConditionValueKind.Count),
        (ConditionOperator.OlderThanXMonths, "olderthan-x-months", ConditionValueKind.Count),
        (ConditionOperator.OlderThanXYears, "olderthan-x-years", ConditionValueKind.Count),
        (ConditionOperator.On, "on", ConditionValueKind.Day),
        (ConditionOperator.NotOn, "not-on", ConditionValueKind.Day),
        (ConditionOperator.OnOrBefore, "on-or-before", ConditionValueKind.Day),
        (ConditionOperator.OnOrAfter, "on-or-after", ConditionValueKind.Day),
    ];

    private static readonly Dictionary<string, ConditionOperator> ByFetchXmlName =
        Table.Select(t => KeyValuePair.Create(t.FetchXmlName, t.Operator))
            .Append(KeyValuePair.Create("neq", ConditionOperator.NotEqual)) // FetchXML's older spelling of ne
            .ToDictionary(StringComparer.Ordinal);

    private static readonly Dictionary<ConditionOperator, (string FetchXmlName, ConditionValueKind Kind)> ByOperator =
        Table.ToDictionary(t => t.Operator, t => (t.FetchXmlName, t.Kind));

    /// <summary>The operator a FetchXML operator attribute names (eq, last-x-hours...).</summary>
    public static bool TryParseFetchXml(string name, out ConditionOperator op) => ByFetchXmlName.TryGetValue(name, out op);

    /// <summary>The FetchXML name of an operator, or null for one FetchXML has no name for (Contains).</summary>
    public static string? FetchXmlName(ConditionOperator op) => ByOperator.TryGetValue(op, out var form) ? form.FetchXmlName : null;

    public static ConditionValueKind ValueKind(ConditionOperator op) => ByOperator.TryGetValue(op, out var form) ? form.Kind : ConditionValueKind.Values;
}
