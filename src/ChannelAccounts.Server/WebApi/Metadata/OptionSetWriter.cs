using System.Text.Json;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// The OptionSet of a State, Status or Picklist column, as $expand=OptionSet writes it: a local option set named
/// entity_column whose options carry DefaultStatus/InvariantName (state) or State (status).
/// </summary>
public static class OptionSetWriter
{
    public static void Write(Utf8JsonWriter writer, EntityDefinition entity, AttributeDefinition attribute)
    {
        var kind = attribute.AttributeType.ToString();
        writer.WriteStartObject("OptionSet");
        writer.WriteString("MetadataId", MetadataIds.OptionSet(entity.LogicalName, attribute.LogicalName));
        writer.WriteString("Name", $"{entity.LogicalName}_{attribute.LogicalName}");
        writer.WriteBoolean("IsGlobal", false);
        writer.WriteString("OptionSetType", kind);
        MetadataJson.WriteLabel(writer, "DisplayName", attribute.DisplayName);
        MetadataJson.WriteLabel(writer, "Description", attribute.Description);
        writer.WriteStartArray("Options");
        foreach (var option in attribute.Options)
        {
            WriteOption(writer, attribute.AttributeType, option);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteOption(Utf8JsonWriter writer, AttributeTypeCode type, OptionDefinition option)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.type", "#Microsoft.Dynamics.CRM." + type switch
        {
            AttributeTypeCode.State => "StateOptionMetadata",
            AttributeTypeCode.Status => "StatusOptionMetadata",
            _ => "OptionMetadata",
        });
        writer.WriteNumber("Value", option.Value);
        MetadataJson.WriteLabel(writer, "Label", option.Label);
        MetadataJson.WriteLabel(writer, "Description", null);
        if (type == AttributeTypeCode.State)
        {
            WriteNumberOrNull(writer, "DefaultStatus", option.DefaultStatus);
            writer.WriteString("InvariantName", option.InvariantName);
        }
        else if (type == AttributeTypeCode.Status)
        {
            WriteNumberOrNull(writer, "State", option.State);
            writer.WriteNull("TransitionData");
        }

        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, int? value)
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
