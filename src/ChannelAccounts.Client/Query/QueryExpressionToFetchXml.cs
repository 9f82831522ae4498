using System.Globalization;
using System.Xml.Linq;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Query;

/// <summary>
/// QueryExpression → FetchXML in Dataverse's schema, for what the Web API's query options cannot say (link-entity,
/// conditions on a linked table, column comparisons, any like pattern). The server parses it into the same query model.
/// </summary>
internal static class QueryExpressionToFetchXml
{
    public static string Convert(QueryExpression query)
    {
        var fetch = new XElement("fetch", new XAttribute("version", "1.0"), new XAttribute("mapping", "logical"));
        if (query.Distinct)
        {
            fetch.Add(new XAttribute("distinct", "true"));
        }

        if (query.TopCount is { } top)
        {
            fetch.Add(new XAttribute("top", Number(top)));
        }
        else if (query.PageInfo.Count > 0)
        {
            fetch.Add(new XAttribute("count", Number(query.PageInfo.Count)), new XAttribute("page", Number(Math.Max(1, query.PageInfo.PageNumber))));
        }

        if (query.PageInfo.PagingCookie is { Length: > 0 } cookie)
        {
            fetch.Add(new XAttribute("paging-cookie", cookie));
        }

        if (query.PageInfo.ReturnTotalRecordCount)
        {
            fetch.Add(new XAttribute("returntotalrecordcount", "true"));
        }

        var entity = new XElement("entity", new XAttribute("name", query.EntityName));
        entity.Add(Columns(query.ColumnSet));
        entity.Add(query.Orders.Select(Order));
        entity.Add(Filter(query.Criteria));
        entity.Add(query.LinkEntities.Select(Link));
        fetch.Add(entity);
        return fetch.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>
    /// The alias a link's columns come back under: EntityAlias, or the linked table's name, as the engine names a
    /// QueryExpression link without one (FetchXML's default, table + position, would differ from the in-process answer).
    /// </summary>
    private static string AliasOf(LinkEntity link) => link.EntityAlias ?? link.LinkToEntityName;

    private static IEnumerable<XElement> Columns(ColumnSet columns) =>
        columns.AllColumns ? [new XElement("all-attributes")] : columns.Columns.Select(c => new XElement("attribute", new XAttribute("name", c)));

    private static XElement Order(OrderExpression order) =>
        new("order", new XAttribute("attribute", order.AttributeName),
            new XAttribute("descending", order.OrderType == OrderType.Descending ? "true" : "false"),
            order.EntityName is { } entityName ? new XAttribute("entityname", entityName) : null);

    private static XElement Link(LinkEntity link)
    {
        var element = new XElement("link-entity",
            new XAttribute("name", link.LinkToEntityName),
            new XAttribute("from", link.LinkToAttributeName),
            new XAttribute("to", link.LinkFromAttributeName),
            new XAttribute("alias", AliasOf(link)),
            new XAttribute("link-type", LinkType(link.JoinOperator)));
        if (link.JoinOperator is JoinOperator.Inner or JoinOperator.LeftOuter or JoinOperator.MatchFirstRowUsingCrossApply)
        {
            // A link that only tests related rows returns no columns: Dataverse ignores any it names.
            element.Add(Columns(link.Columns));
            element.Add(link.Orders.Select(Order));
        }

        element.Add(Filter(link.LinkCriteria));
        element.Add(link.LinkEntities.Select(Link));
        return element;
    }

    private static string LinkType(JoinOperator join) => join switch
    {
        JoinOperator.Inner => "inner",
        JoinOperator.LeftOuter => "outer",
        JoinOperator.MatchFirstRowUsingCrossApply => "matchfirstrowusingcrossapply",
        JoinOperator.In => "in",
        JoinOperator.Exists => "exists",
        JoinOperator.Any => "any",
        JoinOperator.NotAny => "not any",
        JoinOperator.All => "all",
        JoinOperator.NotAll => "not all",
        _ => throw new ArgumentOutOfRangeException(nameof(join), join, "A JoinOperator FetchXML has no link-type for."),
    };

    /// <summary>A filter (its AnyAllFilterLinkEntity a link-entity inside it), or nothing when it holds no condition at any depth.</summary>
    private static XElement? Filter(FilterExpression filter)
    {
        if (filter.IsEmpty)
        {
            return null;
        }

        var element = new XElement("filter", new XAttribute("type", filter.FilterOperator == LogicalOperator.Or ? "or" : "and"));
        element.Add(filter.Conditions.Select(Condition));
        element.Add(filter.Filters.Select(Filter));
        if (filter.AnyAllFilterLinkEntity is { } test)
        {
            element.Add(Link(test));
        }
        return element;
    }

    private static XElement Condition(ConditionExpression condition)
    {
        var element = new XElement("condition");
        if (condition.EntityName is { } alias)
        {
            element.Add(new XAttribute("entityname", alias));
        }

        element.Add(new XAttribute("attribute", condition.AttributeName), new XAttribute("operator", OperatorName(condition.Operator)));
        var values = condition.Values;
        if (condition.CompareColumns)
        {
            element.Add(new XAttribute("valueof", values is [string other]
                ? other
                : throw new ArgumentException($"A column comparison on '{condition.AttributeName}' needs exactly one column name as its value.")));
        }
        else if (condition.Operator is ConditionOperator.In or ConditionOperator.NotIn or ConditionOperator.Between or ConditionOperator.NotBetween)
        {
            element.Add(values.Select(v => new XElement("value", Text(v))));
        }
        else if (values.Count == 1 && (values[0] is not null || !TakesNoValue(condition.Operator)))
        {
            var text = Text(values[0]);
            element.Add(new XAttribute("value", condition.Operator is ConditionOperator.Contains or ConditionOperator.DoesNotContain ? "%" + text + "%" : text));
        }
        else if (values.Count > 1)
        {
            throw new ArgumentException($"The condition {condition.Operator} on '{condition.AttributeName}' needs one value, not {values.Count}.");
        }

        return element;
    }

    private static bool TakesNoValue(ConditionOperator op) => ConditionOperatorForms.ValueKind(op) == ConditionValueKind.None;

    /// <summary>The operator as FetchXML spells it.</summary>
    public static string OperatorName(ConditionOperator op) => op switch
    {
        ConditionOperator.Contains => "like", // FetchXML has no contains; Dataverse sends it as like '%x%'
        ConditionOperator.DoesNotContain => "not-like",
        _ => ConditionOperatorForms.FetchXmlName(op)
            ?? throw new NotSupportedException($"The condition operator {op} has no FetchXML form known to the Web API client."),
    };

    /// <summary>A value as FetchXML text: ids bare, choices as numbers, dates as ISO UTC, booleans as 1/0.</summary>
    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "1" : "0",
        Guid g => g.ToString(),
        EntityReference r => r.Id.ToString(),
        OptionSetValue o => Number(o.Value),
        DateTime t => EntityJson.Iso(t),
        DateTimeOffset o => EntityJson.Iso(o.UtcDateTime),
        Enum e => Number(System.Convert.ToInt32(e, CultureInfo.InvariantCulture)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"A {value.GetType().Name} value cannot be written in FetchXML."),
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
