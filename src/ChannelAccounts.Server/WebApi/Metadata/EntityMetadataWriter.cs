using System.Text.Json;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>A table as Dataverse's EntityMetadata: names, primary columns, ownership and labels.</summary>
public static class EntityMetadataWriter
{
    public const string TypeName = "EntityMetadata";

    // No table of the catalog is private: Dataverse lists them all where it lists tables (IsPrivate eq false).
    private const bool IsPrivate = false;

    public static readonly IReadOnlySet<string> Properties = new HashSet<string>(StringComparer.Ordinal)
    {
        "MetadataId", "LogicalName", "SchemaName", "EntitySetName", "LogicalCollectionName", "CollectionSchemaName",
        "PrimaryIdAttribute", "PrimaryNameAttribute", "OwnershipType", "ObjectTypeCode", "IsBPFEntity", "IsPrivate",
        "DisplayName", "DisplayCollectionName", "Description",
    };

    public static readonly IReadOnlyDictionary<string, FilterProperty<EntityDefinition>> Filterable =
        new Dictionary<string, FilterProperty<EntityDefinition>>(StringComparer.Ordinal)
        {
            ["LogicalName"] = new(e => e.LogicalName),
            ["SchemaName"] = new(e => e.SchemaName),
            ["EntitySetName"] = new(e => e.EntitySetName),
            ["ObjectTypeCode"] = FilterProperty<EntityDefinition>.Number(e => e.ObjectTypeCode),
            ["IsBPFEntity"] = FilterProperty<EntityDefinition>.Boolean(e => e.IsBPFEntity),
            ["IsPrivate"] = FilterProperty<EntityDefinition>.Boolean(_ => IsPrivate),
            ["OwnershipType"] = new(e => e.OwnershipType, "Microsoft.Dynamics.CRM.OwnershipTypes",
                ["None", "UserOwned", "TeamOwned", "BusinessOwned", "OrganizationOwned", "BusinessParented"]),
        };

    public static void Write(Utf8JsonWriter writer, EntityDefinition entity, MetadataQuery query, string? context = null)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

        writer.WriteString("MetadataId", MetadataIds.Entity(entity.LogicalName));
        String(writer, query, "LogicalName", entity.LogicalName);
        String(writer, query, "SchemaName", entity.SchemaName);
        String(writer, query, "EntitySetName", entity.EntitySetName);
        String(writer, query, "LogicalCollectionName", entity.LogicalCollectionName);
        String(writer, query, "CollectionSchemaName", entity.CollectionSchemaName);
        String(writer, query, "PrimaryIdAttribute", entity.PrimaryIdAttribute);
        String(writer, query, "PrimaryNameAttribute", entity.PrimaryNameAttribute);
        String(writer, query, "OwnershipType", entity.OwnershipType);
        if (query.Wants("ObjectTypeCode"))
        {
            writer.WriteNumber("ObjectTypeCode", entity.ObjectTypeCode);
        }

        if (query.Wants("IsBPFEntity"))
        {
            writer.WriteBoolean("IsBPFEntity", entity.IsBPFEntity);
        }

        if (query.Wants("IsPrivate"))
        {
            writer.WriteBoolean("IsPrivate", IsPrivate);
        }

        Label(writer, query, "DisplayName", entity.DisplayName);
        Label(writer, query, "DisplayCollectionName", entity.DisplayCollectionName);
        Label(writer, query, "Description", entity.Description);
        if (query.Attributes is { } attributes)
        {
            var filter = MetadataFilter<AttributeDefinition>.Parse(attributes.Filter, AttributeMetadataTypes.Base, AttributeMetadataWriter.Filterable);
            writer.WriteStartArray("Attributes");
            foreach (var attribute in entity.Attributes.Where(a => filter?.Matches(a) ?? true))
            {
                AttributeMetadataWriter.Write(writer, entity, attribute, attributes);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void String(Utf8JsonWriter writer, MetadataQuery query, string name, string value)
    {
        if (query.Wants(name))
        {
            writer.WriteString(name, value.Length == 0 ? null : value);
        }
    }

    private static void Label(Utf8JsonWriter writer, MetadataQuery query, string name, string? text)
    {
        if (query.Wants(name))
        {
            MetadataJson.WriteLabel(writer, name, text);
        }
    }
}
