using System.Globalization;
using System.Text;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Query;

/// <summary>
/// QueryExpression → the Web API's query options ($select, $filter, $orderby, $top, $count). Conditions become OData
/// comparisons, string functions or Microsoft.Dynamics.CRM.* query functions. What $filter cannot say goes as FetchXML
/// instead (NeedsFetchXml); Build refuses it with NotSupportedException naming the part.
/// </summary>
internal static class ODataQueryBuilder
{
    private const string Functions = "Microsoft.Dynamics.CRM.";

    /// <summary>
    /// True when the query holds what $filter cannot say (links, linked or column-comparing conditions, a like pattern
    /// other than x, x%, %x, %x%); the client then sends it as FetchXML.
    /// </summary>
    public static bool NeedsFetchXml(QueryExpression query) => query.LinkEntities.Count > 0 || NeedsFetchXml(query.Criteria);

    private static bool NeedsFetchXml(FilterExpression filter) =>
        filter.AnyAllFilterLinkEntity is not null || filter.Filters.Any(NeedsFetchXml) || filter.Conditions.Any(c => c.EntityName is not null || c.CompareColumns
            || (c.Operator is ConditionOperator.Like or ConditionOperator.NotLike && c.Values is [string pattern] && !IsSimpleLike(pattern)));

    private static bool IsSimpleLike(string pattern)
    {
        var starts = pattern.StartsWith('%');
        var ends = pattern.Length > 1 && pattern.EndsWith('%');
        return pattern[(starts ? 1 : 0)..(ends ? pattern.Length - 1 : pattern.Length)].IndexOfAny(['%', '_', '[', ']']) < 0;
    }

    public static string Build(QueryExpression query, TableShape table)
    {
        if (query.LinkEntities.Count > 0)
        {
            throw new NotSupportedException("QueryExpression.LinkEntities cannot be written as OData query options; RetrieveMultiple sends such a query as FetchXML (NeedsFetchXml).");
        }

        var options = new List<string>();
        if (!query.ColumnSet.AllColumns)
        {
            var columns = query.ColumnSet.Columns.Count == 0 ? [table.PrimaryIdAttribute] : query.ColumnSet.Columns;
            options.Add("$select=" + string.Join(',', columns.Select(table.ODataName)));
        }

        if (!query.Criteria.IsEmpty)
        {
            options.Add("$filter=" + Uri.EscapeDataString(Filter(query.Criteria, table)));
        }

        if (query.Orders.Count > 0)
        {
            options.Add("$orderby=" + string.Join(',', query.Orders.Select(o =>
                table.ODataName(o.AttributeName) + (o.OrderType == OrderType.Descending ? " desc" : " asc"))));
        }

        if (query.TopCount is { } top)
        {
            options.Add("$top=" + top.ToString(CultureInfo.InvariantCulture));
        }

        if (query.PageInfo.ReturnTotalRecordCount)
        {
            options.Add("$count=true");
        }

        return string.Join('&', options);
    }

    public static string Filter(FilterExpression filter, TableShape table)
    {
        var parts = filter.Conditions.Select(c => Condition(c, table))
            .Concat(filter.Filters.Where(f => !f.IsEmpty).Select(f => "(" + Filter(f, table) + ")"))
            .ToList();
        return string.Join(filter.FilterOperator == LogicalOperator.Or ? " or " : " and ", parts);
    }

    private static string Condition(ConditionExpression condition, TableShape table)
    {
        if (condition.EntityName is not null)
        {
            throw new NotSupportedException($"A condition on the linked table '{condition.EntityName}' cannot be written in $filter; RetrieveMultiple sends such a query as FetchXML (NeedsFetchXml).");
        }

        if (condition.CompareColumns)
        {
            throw new NotSupportedException($"ConditionExpression.CompareColumns (on '{condition.AttributeName}') cannot be written in $filter; RetrieveMultiple sends such a query as FetchXML (NeedsFetchXml).");
        }

        var name = table.ODataName(condition.AttributeName);
        var values = condition.Values;
        object? Single() => values.Count == 1
            ? values[0]
            : throw new ArgumentException($"The condition {condition.Operator} on '{condition.AttributeName}' needs exactly one value, not {values.Count}.");
        string Compare(string op) => $"{name} {op} {Literal(Single())}";
        string Function(string function, string? parameters = null) =>
            $"{Functions}{function}(PropertyName='{condition.AttributeName}'{(parameters is null ? "" : "," + parameters)})";
        string StringValues() => "PropertyValues=[" + string.Join(',', values.Select(v => "'" + Escape(Text(v)) + "'")) + "]";

        return condition.Operator switch
        {
            ConditionOperator.Equal => Compare("eq"),
            ConditionOperator.NotEqual => Compare("ne"),
            ConditionOperator.GreaterThan => Compare("gt"),
            ConditionOperator.GreaterEqual => Compare("ge"),
            ConditionOperator.LessThan => Compare("lt"),
            ConditionOperator.LessEqual => Compare("le"),
            ConditionOperator.Null => $"{name} eq null",
            ConditionOperator.NotNull => $"{name} ne null",
            ConditionOperator.BeginsWith => $"startswith({name},{Literal(Single())})",
            ConditionOperator.DoesNotBeginWith => $"not startswith({name},{Literal(Single())})",
            ConditionOperator.EndsWith => $"endswith({name},{Literal(Single())})",
            ConditionOperator.DoesNotEndWith => $"not endswith({name},{Literal(Single())})",
            ConditionOperator.Contains => $"contains({name},{Literal(Single())})",
            ConditionOperator.DoesNotContain => $"not contains({name},{Literal(Single())})",
            ConditionOperator.Like => Like(name, Single(), condition.AttributeName),
            ConditionOperator.NotLike => "not " + Like(name, Single(), condition.AttributeName),
            ConditionOperator.In => Function("In", StringValues()),
            ConditionOperator.NotIn => Function("NotIn", StringValues()),
            ConditionOperator.Between => Function("Between", StringValues()),
            ConditionOperator.NotBetween => Function("NotBetween", StringValues()),
            // The rest are Dataverse query functions named as the operator: OnOrAfter, LastXHours, ThisMonth, EqualUserTeams...
            var op => ConditionOperatorForms.ValueKind(op) switch
            {
                ConditionValueKind.Day => Function(op.ToString(), $"PropertyValue='{DateText(Single())}'"),
                ConditionValueKind.Count => Function(op.ToString(), "PropertyValue=" + Text(Single())),
                ConditionValueKind.None when values.Any(v => v is not null) =>
                    throw new ArgumentException($"The condition {op} on '{condition.AttributeName}' takes no value."),
                ConditionValueKind.None => Function(op.ToString()),
                _ => throw new NotSupportedException($"The condition operator {op} is not supported by the Web API client."),
            },
        };
    }

    /// <summary>"%x%" → contains, "x%" → startswith, "%x" → endswith, "x" → eq; other patterns have no OData form.</summary>
    private static string Like(string name, object? value, string attribute)
    {
        var pattern = value as string ?? throw new ArgumentException($"Like on '{attribute}' needs a string pattern.");
        var starts = pattern.StartsWith('%');
        var ends = pattern.Length > 1 && pattern.EndsWith('%');
        var inner = pattern[(starts ? 1 : 0)..(ends ? pattern.Length - 1 : pattern.Length)];
        if (!IsSimpleLike(pattern))
        {
            throw new NotSupportedException(
                $"The Like pattern '{pattern}' on '{attribute}' cannot be written in $filter (only 'x', 'x%', '%x' and '%x%' can); RetrieveMultiple sends such a query as FetchXML (NeedsFetchXml).");
        }

        var literal = Literal(inner);
        return (starts, ends) switch
        {
            (true, true) => $"contains({name},{literal})",
            (false, true) => $"startswith({name},{literal})",
            (true, false) => $"endswith({name},{literal})",
            _ => $"{name} eq {literal}",
        };
    }

    /// <summary>A value as an OData literal: 'text' (quotes doubled), GUIDs and numbers bare, dates as ISO UTC.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        string s => "'" + Escape(s) + "'",
        bool b => b ? "true" : "false",
        Guid g => g.ToString(),
        EntityReference r => r.Id.ToString(),
        OptionSetValue o => o.Value.ToString(CultureInfo.InvariantCulture),
        DateTime t => EntityJson.Iso(t),
        DateTimeOffset o => EntityJson.Iso(o.UtcDateTime),
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"A {value.GetType().Name} value cannot be written in an OData $filter."),
    };

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        _ => Literal(value),
    };

    private static string DateText(object? value) => value is DateTime t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Text(value);

    private static string Escape(string text) => text.Replace("'", "''", StringComparison.Ordinal);

    internal static string AppendOptions(string path, string options) =>
        options.Length == 0 ? path : new StringBuilder(path).Append(path.Contains('?') ? '&' : '?').Append(options).ToString();
}
