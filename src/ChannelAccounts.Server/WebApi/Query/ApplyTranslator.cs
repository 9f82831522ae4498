using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query.Aggregates;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// OData $apply, the subset Dataverse supports, as an AggregateQuery: transformations joined by '/':
/// filter(expr), groupby((p1,p2)) or groupby((p1),aggregate(...)), aggregate(p with sum|min|max|average|countdistinct as a, $count as c).
/// A small parser of its own (Microsoft.OData.Core's ParseApply binds aggregated properties as open properties
/// and needs a separate tree walk; this subset is simpler to read directly). Filters go through the OData $filter translator.
/// </summary>
public sealed class ApplyTranslator(EntityDefinition entity, Func<string, FilterExpression> translateFilter)
{
    public AggregateQuery Translate(string apply)
    {
        var query = new AggregateQuery(entity.LogicalName);
        foreach (var step in Split(apply.Trim(), '/'))
        {
            var (name, argument) = Call(step);
            switch (name)
            {
                case "filter" when query.Groups.Count == 0 && query.Aggregates.Count == 0:
                    query.Criteria.AddFilter(translateFilter(argument));
                    break;
                case "groupby" when query.Groups.Count == 0 && query.Aggregates.Count == 0:
                    GroupBy(argument, query);
                    break;
                case "aggregate" when query.Groups.Count == 0 && query.Aggregates.Count == 0:
                    Aggregates(argument, query);
                    break;
                default:
                    throw ODataQueryFaults.BadQuery($"The $apply transformation '{step}' is not supported; use filter(...)/groupby(...) or aggregate(...).");
            }
        }

        if (query.Groups.Count == 0 && query.Aggregates.Count == 0)
        {
            throw ODataQueryFaults.BadQuery("The $apply query option needs a groupby or aggregate transformation.");
        }

        return query;
    }

    private void GroupBy(string argument, AggregateQuery query)
    {
        var parts = Split(argument, ',');
        var keys = parts[0].Trim();
        if (!keys.StartsWith('(') || !keys.EndsWith(')'))
        {
            throw ODataQueryFaults.BadQuery($"groupby needs its properties in parentheses: groupby(({keys})).");
        }

        foreach (var property in Split(keys[1..^1], ','))
        {
            var (attribute, alias) = Property(property.Trim());
            if (entity.Attribute(attribute).AttributeType == AttributeTypeCode.DateTime)
            {
                // As in Dataverse: a date is grouped by a calendar unit, which only FetchXML's dategrouping can name.
                throw ODataQueryFaults.BadQuery(
                    $"$apply cannot group by the date and time column '{alias}'; use FetchXML with <attribute name='{attribute}' groupby='true' dategrouping='day|week|month|quarter|year' alias='…'/>.");
            }

            query.Groups.Add(new GroupKey(attribute, alias));
        }

        if (parts.Count == 2)
        {
            var (name, inner) = Call(parts[1].Trim());
            if (name != "aggregate")
            {
                throw ODataQueryFaults.BadQuery($"Only aggregate(...) may follow the properties of groupby, not '{name}'.");
            }

            Aggregates(inner, query);
        }
        else if (parts.Count > 2)
        {
            throw ODataQueryFaults.BadQuery("groupby takes its properties in parentheses and at most one aggregate(...).");
        }
    }

    private void Aggregates(string argument, AggregateQuery query)
    {
        foreach (var part in Split(argument, ','))
        {
            var words = part.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["$count", "as", var countAlias])
            {
                query.Aggregates.Add(new AggregateColumn(AggregateFunction.Count, null, Alias(countAlias)));
                continue;
            }

            if (words is not [var property, "with", var method, "as", var alias])
            {
                throw ODataQueryFaults.BadQuery($"The aggregate expression '{part.Trim()}' is not valid; use 'property with method as alias' or '$count as alias'.");
            }

            var (attribute, _) = Property(property);
            var (function, distinct) = method switch
            {
                "sum" => (AggregateFunction.Sum, false),
                "min" => (AggregateFunction.Min, false),
                "max" => (AggregateFunction.Max, false),
                "average" => (AggregateFunction.Avg, false),
                "countdistinct" => (AggregateFunction.CountColumn, true),
                _ => throw ODataQueryFaults.BadQuery($"The aggregation method '{method}' is not supported; use sum, min, max, average or countdistinct."),
            };
            query.Aggregates.Add(new AggregateColumn(function, attribute, Alias(alias), distinct));
        }
    }

    /// <summary>An alias becomes a property name of the result, so it must be an OData identifier.</summary>
    private static string Alias(string alias) =>
        alias.Length > 0 && (char.IsLetter(alias[0]) || alias[0] == '_') && alias.All(c => char.IsLetterOrDigit(c) || c == '_')
            ? alias
            : throw ODataQueryFaults.BadQuery($"The alias '{alias}' is not a valid property name; begin it with a letter or '_' and use only letters, digits and '_'.");

    /// <summary>A property of the entity type: the column it names and the name it keeps in the result (_x_value for lookups).</summary>
    private (string Attribute, string Alias) Property(string name)
    {
        var logical = name.StartsWith('_') && name.EndsWith("_value", StringComparison.Ordinal) ? name[1..^"_value".Length] : name;
        if (!entity.TryGetAttribute(logical, out var attribute) || !attribute.IsStored
            || attribute.IsLookup != (logical != name) || attribute.AttributeType == AttributeTypeCode.EntityName)
        {
            throw ODataQueryFaults.BadQuery($"Could not find a property named '{name}' on type 'Microsoft.Dynamics.CRM.{entity.LogicalName}'.");
        }

        return (attribute.LogicalName, name);
    }

    private static (string Name, string Argument) Call(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        if (open <= 0 || !text.EndsWith(')'))
        {
            throw ODataQueryFaults.BadQuery($"The $apply transformation '{text}' is not valid.");
        }

        return (text[..open].Trim(), text[(open + 1)..^1]);
    }

    private static List<string> Split(string text, char separator) => QueryText.Split(text, separator, "$apply");
}
