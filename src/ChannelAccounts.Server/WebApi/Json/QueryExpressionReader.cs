using System.Globalization;
using System.Text.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// A QueryExpression as an action parameter (BulkDelete's QuerySet), in the Web API's JSON shape: EntityName,
/// ColumnSet {AllColumns, Columns}, Criteria {FilterOperator, Conditions, Filters}, and conditions
/// {AttributeName, Operator, Values} whose values are Dataverse's typed objects ({"Type":"System.Guid","Value":"…"})
/// or plain JSON strings, numbers and booleans. Linked tables and orders are not read here: a query that has them is
/// a 400 naming them. The engine checks the names of tables and columns, as for any query.
/// </summary>
public sealed class QueryExpressionReader(string operation)
{
    private static readonly HashSet<string> QueryMembers =
        ["EntityName", "ColumnSet", "Criteria", "Orders", "LinkEntities", "PageInfo", "TopCount", "Distinct", "NoLock"];

    public QueryExpression Read(JsonElement value, string path)
    {
        RequireObject(value, path, "a QueryExpression");
        var query = new QueryExpression();
        foreach (var member in value.EnumerateObject())
        {
            var at = $"{path}.{member.Name}";
            switch (member.Name)
            {
                case var name when name.Contains('@', StringComparison.Ordinal):
                    break;
                case "EntityName":
                    query.EntityName = member.Value.ValueKind == JsonValueKind.String && member.Value.GetString() is { Length: > 0 } entity
                        ? entity
                        : throw Fault($"'{at}' must be the logical name of a table, such as \"msdyn_ocwhatsappchannelaccount\".");
                    break;
                case "ColumnSet":
                    query.ColumnSet = ReadColumnSet(member.Value, at);
                    break;
                case "Criteria":
                    query.Criteria = ReadFilter(member.Value, at);
                    break;
                case "TopCount":
                    query.TopCount = member.Value.ValueKind == JsonValueKind.Null ? null
                        : member.Value.TryGetInt32(out var top) && top > 0 ? top : throw Fault($"'{at}' must be a positive whole number or null.");
                    break;
                case "Distinct":
                    query.Distinct = Boolean(member.Value, at);
                    break;
                case "NoLock":
                    query.NoLock = Boolean(member.Value, at);
                    break;
                case "PageInfo":
                    break; // the job pages by itself
                case "Orders" or "LinkEntities":
                    if (member.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Array) || member.Value.ValueKind == JsonValueKind.Array && member.Value.GetArrayLength() > 0)
                    {
                        throw Fault($"'{at}' is not supported in {operation}'s queries by ChannelAccounts; filter with Criteria on the table's own columns.");
                    }
                    break;
                default:
                    throw Fault($"'{at}' is not a member of QueryExpression; it has {string.Join(", ", QueryMembers)}.");
            }
        }

        return query.EntityName.Length > 0 ? query : throw Fault($"'{path}.EntityName' is required.");
    }

    private ColumnSet ReadColumnSet(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new ColumnSet();
        }

        RequireObject(value, path, "a ColumnSet");
        var columns = new ColumnSet();
        foreach (var member in value.EnumerateObject())
        {
            switch (member.Name)
            {
                case var name when name.Contains('@', StringComparison.Ordinal):
                    break;
                case "AllColumns" when member.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                    columns.AllColumns = member.Value.GetBoolean();
                    break;
                case "Columns" when member.Value.ValueKind == JsonValueKind.Array:
                    columns.Columns = [.. member.Value.EnumerateArray().Select((c, i) => c.ValueKind == JsonValueKind.String
                        ? c.GetString()! : throw Fault($"'{path}.Columns[{i}]' must be a column name."))];
                    break;
                default:
                    throw Fault($"'{path}.{member.Name}' is not valid here; a ColumnSet has AllColumns (true or false) and Columns (names).");
            }
        }

        return columns;
    }

    private FilterExpression ReadFilter(JsonElement value, string path)
    {
        var filter = new FilterExpression();
        if (value.ValueKind == JsonValueKind.Null)
        {
            return filter;
        }

        RequireObject(value, path, "a FilterExpression");
        foreach (var member in value.EnumerateObject())
        {
            var at = $"{path}.{member.Name}";
            switch (member.Name)
            {
                case var name when name.Contains('@', StringComparison.Ordinal):
                    break;
                case "FilterOperator":
                    filter.FilterOperator = Enumeration<LogicalOperator>(member.Value, at, "And or Or");
                    break;
                case "Conditions":
                    filter.Conditions.AddRange(Items(member.Value, at).Select(item => ReadCondition(item.Value, item.Path)));
                    break;
                case "Filters":
                    filter.Filters.AddRange(Items(member.Value, at).Select(item => ReadFilter(item.Value, item.Path)));
                    break;
                case "IsQuickFindFilter" when member.Value.ValueKind is JsonValueKind.False:
                    break;
                default:
                    throw Fault($"'{at}' is not valid here; a FilterExpression has FilterOperator, Conditions and Filters.");
            }
        }

        return filter;
    }

    private ConditionExpression ReadCondition(JsonElement value, string path)
    {
        RequireObject(value, path, "a ConditionExpression");
        var condition = new ConditionExpression();
        var hasOperator = false;
        foreach (var member in value.EnumerateObject())
        {
            var at = $"{path}.{member.Name}";
            switch (member.Name)
            {
                case var name when name.Contains('@', StringComparison.Ordinal):
                    break;
                case "AttributeName":
                    condition.AttributeName = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString()! : throw Fault($"'{at}' must be a column name.");
                    break;
                case "Operator":
                    condition.Operator = Enumeration<ConditionOperator>(member.Value, at, "a ConditionOperator name such as Equal or In");
                    hasOperator = true;
                    break;
                case "Values":
                    condition.Values = [.. Items(member.Value, at).Select(item => ReadValue(item.Value, item.Path))];
                    break;
                case "EntityName" when member.Value.ValueKind == JsonValueKind.Null:
                    break;
                default:
                    throw Fault($"'{at}' is not valid here; a ConditionExpression has AttributeName, Operator and Values.");
            }
        }

        return condition.AttributeName.Length == 0 ? throw Fault($"'{path}.AttributeName' is required.")
            : hasOperator ? condition : throw Fault($"'{path}.Operator' is required.");
    }

    /// <summary>A typed object {"Type":"System.Guid","Value":"…"}, or a plain JSON string, number or boolean.</summary>
    private object? ReadValue(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.TryGetInt32(out var whole) ? whole : value.TryGetInt64(out var large) ? large : value.GetDecimal();
            case JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean();
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Object when value.TryGetProperty("Type", out var type) && type.ValueKind == JsonValueKind.String
                                           && value.TryGetProperty("Value", out var typed):
                var text = typed.ValueKind == JsonValueKind.String ? typed.GetString()! : typed.GetRawText();
                return Typed(type.GetString()!, text, path);
            default:
                throw Fault($"'{path}' must be a value, or an object with \"Type\" (such as \"System.Guid\") and \"Value\".");
        }
    }

    private object Typed(string type, string text, string path)
    {
        var invariant = CultureInfo.InvariantCulture;
        object? value = type switch
        {
            "System.Guid" => System.Guid.TryParse(text, out var id) ? id : null,
            "System.String" => text,
            "System.Int32" or "System.Int16" => int.TryParse(text, NumberStyles.Integer, invariant, out var number) ? number : null,
            "System.Int64" => long.TryParse(text, NumberStyles.Integer, invariant, out var large) ? large : null,
            "System.Boolean" => bool.TryParse(text, out var flag) ? flag : null,
            "System.Decimal" => decimal.TryParse(text, NumberStyles.Number, invariant, out var money) ? money : null,
            "System.Double" => double.TryParse(text, NumberStyles.Float, invariant, out var real) ? real : null,
            "System.DateTime" => DateTimeOffset.TryParse(text, invariant, DateTimeStyles.AssumeUniversal, out var moment) ? moment.UtcDateTime : null,
            _ => throw Fault($"'{path}.Type' '{type}' is not a type a condition value can have; use System.Guid, System.String, System.Int32, " +
                             "System.Int64, System.Boolean, System.Decimal, System.Double or System.DateTime."),
        };
        return value ?? throw Fault($"'{path}.Value' '{text}' is not a {type}.");
    }

    private IEnumerable<(JsonElement Value, string Path)> Items(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.Null ? []
        : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select((item, i) => (item, $"{path}[{i}]")).ToList()
        : throw Fault($"'{path}' must be an array.");

    private T Enumeration<T>(JsonElement value, string path, string expected) where T : struct, Enum
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && Enum.IsDefined(typeof(T), number))
        {
            return (T)Enum.ToObject(typeof(T), number);
        }

        return value.ValueKind == JsonValueKind.String && Enum.TryParse<T>(value.GetString(), ignoreCase: false, out var named) && Enum.IsDefined(named)
               && !int.TryParse(value.GetString(), CultureInfo.InvariantCulture, out _)
            ? named
            : throw Fault($"'{path}' must be {expected}, not {value.GetRawText()}.");
    }

    private bool Boolean(JsonElement value, string path) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Fault($"'{path}' must be true or false.");

    private void RequireObject(JsonElement value, string path, string what)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fault($"'{path}' must be {what} (a JSON object).");
        }
    }

    private WebApiException Fault(string detail) => WebApiException.BadRequest($"Invalid parameters for '{operation}': {detail}");
}
