using System.Text.Json;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>The value shapes metadata shares: Label, managed properties and {"Value":…} wrappers.</summary>
public static class MetadataJson
{
    public const int LanguageCode = 1033;

    /// <summary>{"LocalizedLabels":[{"Label":…,"LanguageCode":1033}],"UserLocalizedLabel":{…}}; empty text gives no labels.</summary>
    public static void WriteLabel(Utf8JsonWriter writer, string name, string? text)
    {
        writer.WriteStartObject(name);
        writer.WriteStartArray("LocalizedLabels");
        if (!string.IsNullOrEmpty(text))
        {
            WriteLocalized(writer, text);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("UserLocalizedLabel");
        if (string.IsNullOrEmpty(text))
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteLocalized(writer, text);
        }

        writer.WriteEndObject();
    }

    /// <summary>{"Value":…} as AttributeTypeName and DateTimeBehavior are written.</summary>
    public static void WriteValue(Utf8JsonWriter writer, string name, string value)
    {
        writer.WriteStartObject(name);
        writer.WriteString("Value", value);
        writer.WriteEndObject();
    }

    /// <summary>A managed property: {"Value":…,"CanBeChanged":…,"ManagedPropertyLogicalName":…}.</summary>
    public static void WriteManaged(Utf8JsonWriter writer, string name, string value, bool canBeChanged, string logicalName)
    {
        writer.WriteStartObject(name);
        writer.WriteString("Value", value);
        writer.WriteBoolean("CanBeChanged", canBeChanged);
        writer.WriteString("ManagedPropertyLogicalName", logicalName);
        writer.WriteEndObject();
    }

    private static void WriteLocalized(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("Label", text);
        writer.WriteNumber("LanguageCode", LanguageCode);
        writer.WriteEndObject();
    }
}
