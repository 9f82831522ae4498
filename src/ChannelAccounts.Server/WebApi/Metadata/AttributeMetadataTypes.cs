using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>Which AttributeMetadata type describes a column, and which properties each type adds to the base type.</summary>
public static class AttributeMetadataTypes
{
    public const string Base = "AttributeMetadata";

    public static readonly IReadOnlySet<string> BaseProperties = new HashSet<string>(StringComparer.Ordinal)
    {
        "MetadataId", "LogicalName", "SchemaName", "EntityLogicalName", "AttributeType", "AttributeTypeName", "AttributeOf",
        "DisplayName", "Description", "RequiredLevel", "IsValidForCreate", "IsValidForUpdate", "IsValidForRead",
        "IsValidForForm", "IsPrimaryId", "IsPrimaryName", "IsSecured",
    };

    private static readonly Dictionary<string, string[]> Derived = new(StringComparer.Ordinal)
    {
        ["StringAttributeMetadata"] = ["MaxLength", "Format", "FormatName", "IsLocalizable"],
        ["MemoAttributeMetadata"] = ["MaxLength", "Format", "FormatName", "IsLocalizable"],
        ["IntegerAttributeMetadata"] = ["Format", "MinValue", "MaxValue"],
        ["BigIntAttributeMetadata"] = ["MinValue", "MaxValue"],
        ["DateTimeAttributeMetadata"] = ["Format", "DateTimeBehavior"],
        ["LookupAttributeMetadata"] = ["Targets"],
        ["PicklistAttributeMetadata"] = ["OptionSet"],
        ["StateAttributeMetadata"] = ["OptionSet"],
        ["StatusAttributeMetadata"] = ["OptionSet"],
        ["BooleanAttributeMetadata"] = [],
        ["EntityNameAttributeMetadata"] = [],
        ["UniqueIdentifierAttributeMetadata"] = [],
    };

    public static bool IsKnown(string typeName) => Derived.ContainsKey(typeName);

    public static string TypeNameOf(AttributeDefinition attribute) => attribute.AttributeType switch
    {
        AttributeTypeCode.Lookup or AttributeTypeCode.Owner => "LookupAttributeMetadata",
        AttributeTypeCode.Uniqueidentifier => "UniqueIdentifierAttributeMetadata",
        var type => type + "AttributeMetadata",
    };

    /// <summary>The properties $select may name on a type: the base ones, plus the cast type's own; OptionSet only through $expand.</summary>
    public static IReadOnlySet<string> SelectableOn(string? cast)
    {
        if (cast is null)
        {
            return BaseProperties;
        }

        var properties = new HashSet<string>(BaseProperties, StringComparer.Ordinal);
        properties.UnionWith(Derived[cast].Where(p => p != "OptionSet"));
        return properties;
    }

    public static bool HasOptionSet(string? cast) => cast is not null && Derived[cast].Contains("OptionSet");

    /// <summary>Whether a type-specific property belongs to the column's type.</summary>
    public static bool Has(AttributeDefinition attribute, string property) => Derived[TypeNameOf(attribute)].Contains(property);
}
