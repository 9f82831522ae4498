using System.Globalization;
using System.Text.Json;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Client.Json;

/// <summary>Entity ↔ the Web API's JSON: @odata.bind for lookups, numbers for choices, ISO UTC for dates; annotations back to SDK types.</summary>
internal static class EntityJson
{
    public const string FormattedValue = "@OData.Community.Display.V1.FormattedValue";
    public const string LookupLogicalName = "@Microsoft.Dynamics.CRM.lookuplogicalname";

    /// <summary>How Dataverse writes the "." of a FetchXML linked column ("alias.column") in a property name.</summary>
    public const string LinkedColumnSeparator = "_x002e_";

    /// <summary>
    /// The body of a POST or PATCH: every attribute of the entity (the key too, when the id is given); with withType,
    /// the @odata.type annotation a target of CreateMultiple, UpdateMultiple and UpsertMultiple must carry.
    /// </summary>
    public static string Write(Entity entity, ServiceMetadata metadata, bool includeKey, bool withType = false)
    {
        var table = metadata.Table(entity.LogicalName);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (withType)
            {
                writer.WriteString("@odata.type", "Microsoft.Dynamics.CRM." + table.LogicalName);
            }

            if (includeKey && entity.Id != Guid.Empty && !entity.Contains(table.PrimaryIdAttribute))
            {
                writer.WriteString(table.PrimaryIdAttribute, entity.Id);
            }

            foreach (var (name, value) in entity.Attributes)
            {
                if (name == table.PrimaryIdAttribute && !includeKey)
                {
                    continue;
                }

                if (value is EntityReference reference)
                {
                    writer.WriteString(name + "@odata.bind", $"/{metadata.EntitySet(reference.LogicalName)}({reference.Id})");
                }
                else if (value is null && table.IsLookup(name))
                {
                    writer.WriteNull(name + "@odata.bind");
                }
                else
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, value, name);
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void WriteValue(Utf8JsonWriter writer, object? value, string name)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case double d: writer.WriteNumberValue(d); break;
            case Guid g: writer.WriteStringValue(g); break;
            case OptionSetValue option: writer.WriteNumberValue(option.Value); break;
            case DateTime t: writer.WriteStringValue(Iso(t)); break;
            case DateTimeOffset o: writer.WriteStringValue(Iso(o.UtcDateTime)); break;
            case Enum e: writer.WriteNumberValue(Convert.ToInt32(e, CultureInfo.InvariantCulture)); break;
            default:
                throw new NotSupportedException($"The value of '{name}' is a {value.GetType().Name}, which the Web API client cannot send.");
        }
    }

    public static string Iso(DateTime value) =>
        (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// One record of a response; lookups come back as EntityReference, choices as OptionSetValue, dates as UTC. With
    /// links (alias → linked table), a FetchXML row's "alias.column" comes back as an AliasedValue typed by that table.
    /// </summary>
    /// <param name="columnAliases">FetchXML column aliases of the table's own columns (alias to column): read as AliasedValues.</param>
    public static Entity Read(JsonElement record, TableShape table, IReadOnlyDictionary<string, TableShape>? links = null,
        IReadOnlyDictionary<string, string>? columnAliases = null)
    {
        var entity = new Entity(table.LogicalName);
        foreach (var property in record.EnumerateObject())
        {
            var name = property.Name;
            if (name == "@odata.etag")
            {
                entity.RowVersion = RowVersionOf(property.Value.GetString());
                continue;
            }

            var at = name.IndexOf('@', StringComparison.Ordinal);
            if (at >= 0)
            {
                if (at > 0 && name.EndsWith(FormattedValue, StringComparison.Ordinal))
                {
                    entity.FormattedValues[ColumnOf(name[..at]).Replace(LinkedColumnSeparator, ".", StringComparison.Ordinal)] = property.Value.GetString() ?? "";
                }

                continue;
            }

            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                continue; // an expanded record: not mapped by this client
            }

            if (columnAliases is not null && columnAliases.TryGetValue(name, out var aliasedColumn))
            {
                entity[name] = ReadAliased(record, property, table, aliasedColumn);
                continue;
            }

            // Dataverse writes a linked column "alias.column" as "alias_x002e_column"; the SDK keys it "alias.column".
            var dot = name.IndexOf(LinkedColumnSeparator, StringComparison.Ordinal);
            if (dot > 0 && links is not null && links.TryGetValue(name[..dot], out var linked))
            {
                var linkedColumn = name[(dot + LinkedColumnSeparator.Length)..];
                entity[name[..dot] + "." + linkedColumn] = ReadAliased(record, property, linked, linkedColumn);
                continue;
            }

            var column = ColumnOf(name);
            if (column != name)
            {
                entity[column] = property.Value.ValueKind == JsonValueKind.Null ? null : new EntityReference(
                    record.TryGetProperty(name + LookupLogicalName, out var target) ? target.GetString() ?? "" : "",
                    property.Value.GetGuid())
                {
                    Name = record.TryGetProperty(name + FormattedValue, out var display) ? display.GetString() : null,
                };
                continue;
            }

            var formatted = record.TryGetProperty(name + FormattedValue, out var text) ? text.GetString() : null;
            var value = ReadValue(property.Value, table.EdmType(name), column, formatted);
            entity[column] = value;
            if (column == table.PrimaryIdAttribute && value is Guid id)
            {
                entity.Id = id;
            }
        }

        return entity;
    }

    /// <summary>A linked column as FetchXML's Web API form writes it: its value bare (a lookup's id too), annotations beside it.</summary>
    private static AliasedValue ReadAliased(JsonElement record, JsonProperty property, TableShape linked, string column)
    {
        var formatted = record.TryGetProperty(property.Name + FormattedValue, out var text) ? text.GetString() : null;
        object? value = property.Value.ValueKind == JsonValueKind.Null ? null
            : linked.IsLookup(column) ? new EntityReference(
                record.TryGetProperty(property.Name + LookupLogicalName, out var target) ? target.GetString() ?? "" : "", property.Value.GetGuid())
            { Name = formatted }
            : ReadValue(property.Value, linked.EdmType(column), column, formatted);
        return new AliasedValue(linked.LogicalName, column, value);
    }

    private static object? ReadValue(JsonElement value, string? edmType, string column, string? formatted)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return edmType switch
        {
            "Edm.Guid" => value.GetGuid(),
            "Edm.DateTimeOffset" => value.GetDateTimeOffset().UtcDateTime,
            "Edm.Date" => DateTime.SpecifyKind(DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture), DateTimeKind.Unspecified),
            "Edm.Int64" => value.GetInt64(),
            "Edm.Decimal" => value.GetDecimal(),
            "Edm.Double" => value.GetDouble(),
            "Edm.Boolean" => value.GetBoolean(),
            "Edm.Int32" when IsChoice(column, formatted) => new OptionSetValue(value.GetInt32()),
            "Edm.Int32" => value.GetInt32(),
            _ => value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when value.TryGetInt32(out var i) => i,
                JsonValueKind.Number when value.TryGetInt64(out var l) => l,
                JsonValueKind.Number => value.GetDecimal(),
                _ => null,
            },
        };
    }

    /// <summary>CSDL types a choice as Edm.Int32 like a whole number; its formatted value is a label, not digits.</summary>
    private static bool IsChoice(string column, string? formatted) =>
        column is "statecode" or "statuscode" || (formatted is not null && formatted.Any(char.IsLetter));

    /// <summary>_ownerid_value → ownerid; any other name stays.</summary>
    public static string ColumnOf(string name) =>
        name.Length > "__value".Length && name.StartsWith('_') && name.EndsWith("_value", StringComparison.Ordinal) ? name[1..^"_value".Length] : name;

    /// <summary>W/"12" → "12".</summary>
    public static string? RowVersionOf(string? etag) =>
        etag is null ? null : etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..].Trim('"') : etag.Trim('"');
}
