using System.Globalization;
using System.Text.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Query;

/// <summary>
/// A QueryExpression as an action parameter in the Web API's JSON (BulkDelete's QuerySet): EntityName, ColumnSet,
/// Criteria with conditions whose values are Dataverse's typed objects {"Type":"System.Guid","Value":"…"}.
/// Linked tables and orders have no place in it here (the server refuses them too).
/// </summary>
internal static class QueryExpressionJson
{
    private const string Namespace = "Microsoft.Dynamics.CRM.";

    public static void Write(Utf8JsonWriter writer, QueryExpression query)
    {
        if (query.LinkEntities.Count > 0 || query.Orders.Count > 0)
        {
            throw new NotSupportedException("A BulkDelete query with LinkEntities or Orders is not supported by the Web API client; filter with Criteria on the table's own columns.");
        }

        writer.WriteStartObject();
        writer.WriteString("@odata.type", Namespace + "QueryExpression");
        writer.WriteString("EntityName", query.EntityName);
        writer.WriteStartObject("ColumnSet");
        writer.WriteBoolean("AllColumns", query.ColumnSet.AllColumns);
        writer.WriteStartArray("Columns");
        foreach (var column in query.ColumnSet.Columns)
        {
            writer.WriteStringValue(column);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WritePropertyName("Criteria");
        WriteFilter(writer, query.Criteria);
        if (query.TopCount is { } top)
        {
            writer.WriteNumber("TopCount", top);
        }
        writer.WriteEndObject();
    }

    private static void WriteFilter(Utf8JsonWriter writer, FilterExpression filter)
    {
        if (filter.AnyAllFilterLinkEntity is not null)
        {
            throw new NotSupportedException("A BulkDelete query with AnyAllFilterLinkEntity is not supported by the Web API client.");
        }

        writer.WriteStartObject();
        writer.WriteString("FilterOperator", filter.FilterOperator.ToString());
        writer.WriteStartArray("Conditions");
        foreach (var condition in filter.Conditions)
        {
            if (condition.EntityName is not null || condition.CompareColumns)
            {
                throw new NotSupportedException("A BulkDelete condition on a linked table or comparing columns is not supported by the Web API client.");
            }

            writer.WriteStartObject();
            writer.WriteString("AttributeName", condition.AttributeName);
            writer.WriteString("Operator", condition.Operator.ToString());
            writer.WriteStartArray("Values");
            foreach (var value in condition.Values)
            {
                WriteValue(writer, value);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("Filters");
        foreach (var child in filter.Filters)
        {
            WriteFilter(writer, child);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        var (type, text) = value switch
        {
            null => (null, null),
            Guid id => ("System.Guid", id.ToString()),
            string s => ("System.String", s),
            int or short => ("System.Int32", Convert.ToString(value, CultureInfo.InvariantCulture)),
            long l => ("System.Int64", l.ToString(CultureInfo.InvariantCulture)),
            bool b => ("System.Boolean", b ? "true" : "false"),
            decimal d => ("System.Decimal", d.ToString(CultureInfo.InvariantCulture)),
            double f => ("System.Double", f.ToString("R", CultureInfo.InvariantCulture)),
            DateTime t => ("System.DateTime", t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture)),
            OptionSetValue option => ("System.Int32", option.Value.ToString(CultureInfo.InvariantCulture)),
            EntityReference reference => ("System.Guid", reference.Id.ToString()),
            Enum e => ("System.Int32", Convert.ToInt32(e, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
            _ => throw new NotSupportedException($"A condition value of type {value.GetType().Name} is not supported by the Web API client."),
        };
        if (type is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("Type", type);
        writer.WriteString("Value", text);
        writer.WriteEndObject();
    }
}
