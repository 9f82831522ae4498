using System.Collections.Frozen;
using System.Text.Json.Serialization;

namespace ChannelAccounts.Engine.Metadata;

/// <summary>A table, with Dataverse's EntityMetadata properties and its columns.</summary>
public sealed class EntityDefinition
{
    private FrozenDictionary<string, AttributeDefinition>? _byName;
    private FrozenDictionary<string, int>? _ordinals;
    private AttributeDefinition[]? _secured;

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

    /// <summary>
    /// A lookup whose record decides access to this table's rows (Dataverse's parental relationship): a caller
    /// reads a row exactly when it reads that record, and deleting the record deletes its rows.
    /// </summary>
    public string? ReadAccessThrough { get; init; }

    /// <summary>Who writes this table's rows when callers may not (record messages then only read it), as shown in errors.</summary>
    public string? WrittenBy { get; init; }

    /// <summary>Alternate keys (Dataverse's EntityKeyMetadata): each a unique index over its columns.</summary>
    public IReadOnlyList<EntityKeyDefinition> Keys { get; init; } = [];

    /// <summary>Composite indexes for the queries the table serves, each column list ending in the primary id when created.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Indexes { get; init; } = [];

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

    /// <summary>A lookup's name companion (createdbyname for createdby), or null when the table defines none.</summary>
    public AttributeDefinition? NameOf(string lookup) =>
        TryGetAttribute(lookup + "name", out var name) && name.AttributeOf == lookup ? name : null;

    /// <summary>The position of a column in <see cref="Attributes"/>, or -1 (writers keep the table's column order).</summary>
    public int Ordinal(string logicalName)
    {
        _ordinals ??= Attributes.Select((a, i) => (a.LogicalName, i)).ToFrozenDictionary(p => p.LogicalName, p => p.i, StringComparer.Ordinal);
        return _ordinals.TryGetValue(logicalName, out var ordinal) ? ordinal : -1;
    }

    /// <summary>The columns under column security, in definition order.</summary>
    [JsonIgnore]
    public IReadOnlyList<AttributeDefinition> SecuredAttributes => _secured ??= [.. Attributes.Where(a => a.IsSecured)];

    /// <summary>The columns that have a column in the database, in definition order.</summary>
    [JsonIgnore]
    public IEnumerable<AttributeDefinition> StoredAttributes => Attributes.Where(a => a.IsStored);
}

/// <summary>An alternate key: the columns whose values identify one row.</summary>
public sealed record EntityKeyDefinition
{
    public string LogicalName { get; init; } = "";

    public IReadOnlyList<string> KeyAttributes { get; init; } = [];
}
