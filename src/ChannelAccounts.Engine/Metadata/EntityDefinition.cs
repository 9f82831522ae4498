using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace ChannelAccounts.Engine.Metadata;

/// <summary>A table, with Dataverse's EntityMetadata properties and its columns.</summary>
public sealed class EntityDefinition
{
    private FrozenDictionary<string, AttributeDefinition>? _byName;

    public string LogicalName { get; init; } = "";

    public string SchemaName { get; init; } = "";

    public string EntitySetName { get; init; } = "";

    public string LogicalCollectionName { get; init; } = "";

    public string CollectionSchemaName { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string DisplayCollectionName { get; init; } = "";

    public string? Description { get; init; }

    public string PrimaryIdAttribute { get; init; } = "";

    public string PrimaryNameAttribute { get; init; } = "";

    /// <summary>"UserOwned", "BusinessOwned" or "OrganizationOwned".</summary>
    public string OwnershipType { get; init; } = "";

    public bool IsBPFEntity { get; init; }

    public int ObjectTypeCode { get; init; }

    public IReadOnlyList<AttributeDefinition> Attributes { get; init; } = [];

    [JsonIgnore]
    public bool IsUserOwned => OwnershipType == "UserOwned";

    [JsonIgnore]
    public AttributeDefinition PrimaryId => Attribute(PrimaryIdAttribute);

    public AttributeDefinition Attribute(string logicalName) =>
        TryGetAttribute(logicalName, out var attribute)
            ? attribute
            : throw new KeyNotFoundException($"The table '{LogicalName}' has no column '{logicalName}'.");

    public bool TryGetAttribute(string logicalName, out AttributeDefinition attribute)
    {
        _byName ??= Attributes.ToFrozenDictionary(a => a.LogicalName, StringComparer.Ordinal);
        return _byName.TryGetValue(logicalName, out attribute!);
    }

    /// <summary>The columns that have a column in the database, in definition order.</summary>
    [JsonIgnore]
    public IEnumerable<AttributeDefinition> StoredAttributes => Attributes.Where(a => a.IsStored);
}
