using System.Text.Json;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// A table's alternate keys as Dataverse's EntityKeyMetadata (GET EntityDefinitions(…)/Keys): an empty collection for
/// a table without one, which clients read before an upsert by key.
/// </summary>
public static class EntityKeyMetadataWriter
{
    public const string TypeName = "EntityKeyMetadata";

    private static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.Ordinal)
    {
        "MetadataId", "LogicalName", "SchemaName", "EntityLogicalName", "KeyAttributes", "EntityKeyIndexStatus", "IsManaged",
    };

    public static void WriteKeys(WebApiContext api, Utf8JsonWriter writer, EntityDefinition entity)
    {
        var query = MetadataQuery.Parse(api.Http.Request.Query, TypeName, Properties, filterable: false, expandable: false);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", api.MetadataUri($"{MetadataPath.Segment}('{entity.LogicalName}')/Keys" + query.ContextSelection()));
        writer.WriteStartArray("value");
        foreach (var key in entity.Keys)
        {
            writer.WriteStartObject();
            writer.WriteString("MetadataId", MetadataIds.Key(entity.LogicalName, key.LogicalName));
            query.WriteString(writer, "LogicalName", key.LogicalName);
            query.WriteString(writer, "SchemaName", key.LogicalName);
            query.WriteString(writer, "EntityLogicalName", entity.LogicalName);
            if (query.Wants("KeyAttributes"))
            {
                writer.WriteStartArray("KeyAttributes");
                foreach (var attribute in key.KeyAttributes)
                {
                    writer.WriteStringValue(attribute);
                }
                writer.WriteEndArray();
            }

            // The database's unique index exists from the moment the schema does: the key is always usable.
            query.WriteString(writer, "EntityKeyIndexStatus", "Active");
            query.WriteBoolean(writer, "IsManaged", true);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
