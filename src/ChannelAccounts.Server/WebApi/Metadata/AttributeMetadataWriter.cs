using System.Text.Json;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>A column as Dataverse's AttributeMetadata, typed by @odata.type (StringAttributeMetadata, LookupAttributeMetadata…).</summary>
public static class AttributeMetadataWriter
{
    public static readonly IReadOnlyDictionary<string, FilterProperty<AttributeDefinition>> Filterable =
        new Dictionary<string, FilterProperty<AttributeDefinition>>(StringComparer.Ordinal)
        {
            ["LogicalName"] = new(a => a.LogicalName),
            ["SchemaName"] = new(a => a.SchemaName),
            ["AttributeOf"] = new(a => a.AttributeOf),
            ["AttributeType"] = FilterProperty<AttributeDefinition>.Enum<AttributeTypeCode>(a => a.AttributeType.ToString()),
            ["AttributeTypeName/Value"] = new(a => a.AttributeType + "Type"),
            ["RequiredLevel/Value"] = FilterProperty<AttributeDefinition>.Enum<AttributeRequiredLevel>(a => a.RequiredLevel.ToString()),
            ["IsValidForCreate"] = FilterProperty<AttributeDefinition>.Boolean(a => a.IsValidForCreate),
            ["IsValidForUpdate"] = FilterProperty<AttributeDefinition>.Boolean(a => a.IsValidForUpdate),
            ["IsValidForRead"] = FilterProperty<AttributeDefinition>.Boolean(a => a.IsValidForRead),
            ["IsValidForForm"] = FilterProperty<AttributeDefinition>.Boolean(a => a.IsValidForForm),
            ["IsSecured"] = FilterProperty<AttributeDefinition>.Boolean(a => a.IsSecured),
        };

    public static void Write(Utf8JsonWriter writer, EntityDefinition entity, AttributeDefinition attribute, MetadataQuery query, string? context = null)
    {
        writer.WriteStartObject();
        if (context is not null)
        {
            writer.WriteString("@odata.context", context);
        }

        writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM." + AttributeMetadataTypes.TypeNameOf(attribute));
        writer.WriteString("MetadataId", MetadataIds.Attribute(entity.LogicalName, attribute.LogicalName));
        var wants = (string name) => query.Wants(name) && (AttributeMetadataTypes.BaseProperties.Contains(name) || AttributeMetadataTypes.Has(attribute, name));
        if (wants("LogicalName"))
        {
            writer.WriteString("LogicalName", attribute.LogicalName);
        }

        if (wants("SchemaName"))
        {
            writer.WriteString("SchemaName", attribute.SchemaName);
        }

        if (wants("EntityLogicalName"))
        {
            writer.WriteString("EntityLogicalName", entity.LogicalName);
        }

        if (wants("AttributeType"))
        {
            writer.WriteString("AttributeType", attribute.AttributeType.ToString());
        }

        if (wants("AttributeTypeName"))
        {
            MetadataJson.WriteValue(writer, "AttributeTypeName", attribute.AttributeType + "Type");
        }

        if (wants("AttributeOf"))
        {
            writer.WriteString("AttributeOf", attribute.AttributeOf);
        }

        if (wants("DisplayName"))
        {
            MetadataJson.WriteLabel(writer, "DisplayName", attribute.DisplayName);
        }

        if (wants("Description"))
        {
            MetadataJson.WriteLabel(writer, "Description", attribute.Description);
        }

        if (wants("RequiredLevel"))
        {
            MetadataJson.WriteManaged(writer, "RequiredLevel", attribute.RequiredLevel.ToString(),
                canBeChanged: attribute.RequiredLevel != AttributeRequiredLevel.SystemRequired, "canmodifyrequirementlevelsettings");
        }

        WriteFlags(writer, entity, attribute, wants);
        WriteTypeSpecific(writer, attribute, wants);
        if (query.ExpandOptionSet)
        {
            OptionSetWriter.Write(writer, entity, attribute);
        }

        writer.WriteEndObject();
    }

    private static void WriteFlags(Utf8JsonWriter writer, EntityDefinition entity, AttributeDefinition attribute, Func<string, bool> wants)
    {
        foreach (var (name, value) in new[]
        {
            ("IsValidForCreate", attribute.IsValidForCreate),
            ("IsValidForUpdate", attribute.IsValidForUpdate),
            ("IsValidForRead", attribute.IsValidForRead),
            ("IsValidForForm", attribute.IsValidForForm),
            ("IsPrimaryId", attribute.LogicalName == entity.PrimaryIdAttribute),
            ("IsPrimaryName", attribute.LogicalName == entity.PrimaryNameAttribute),
            ("IsSecured", attribute.IsSecured),
        })
        {
            if (wants(name))
            {
                writer.WriteBoolean(name, value);
            }
        }
    }

    private static void WriteTypeSpecific(Utf8JsonWriter writer, AttributeDefinition attribute, Func<string, bool> wants)
    {
        if (wants("MaxLength"))
        {
            WriteNumber(writer, "MaxLength", attribute.MaxLength);
        }

        if (wants("MinValue"))
        {
            WriteNumber(writer, "MinValue", attribute.MinValue);
        }

        if (wants("MaxValue"))
        {
            WriteNumber(writer, "MaxValue", attribute.MaxValue);
        }

        if (wants("Format"))
        {
            writer.WriteString("Format", attribute.Format ?? attribute.FormatName);
        }

        if (wants("FormatName"))
        {
            MetadataJson.WriteValue(writer, "FormatName", attribute.FormatName ?? "Text");
        }

        if (wants("IsLocalizable"))
        {
            writer.WriteBoolean("IsLocalizable", attribute.IsLocalizable ?? false);
        }

        if (wants("DateTimeBehavior"))
        {
            MetadataJson.WriteValue(writer, "DateTimeBehavior", attribute.DateTimeBehavior ?? "UserLocal");
        }

        if (wants("Targets"))
        {
            writer.WriteStartArray("Targets");
            foreach (var target in attribute.Targets)
            {
                writer.WriteStringValue(target);
            }

            writer.WriteEndArray();
        }
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
