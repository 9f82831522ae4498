using System.Text.Json.Serialization;

namespace ChannelAccounts.Engine.Metadata;

/// <summary>Dataverse's AttributeTypeCode: the kind of value a column holds.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AttributeTypeCode>))]
public enum AttributeTypeCode
{
    Boolean,
    DateTime,
    Integer,
    BigInt,
    Lookup,
    Owner,
    EntityName,
    Picklist,
    State,
    Status,
    String,
    Memo,
    Uniqueidentifier,
}

[JsonConverter(typeof(JsonStringEnumConverter<AttributeRequiredLevel>))]
public enum AttributeRequiredLevel
{
    None,
    SystemRequired,
    ApplicationRequired,
    Recommended,
}

/// <summary>One choice of a State, Status or Picklist column.</summary>
public sealed record OptionDefinition
{
    public int Value { get; init; }

    public string Label { get; init; } = "";

    /// <summary>For a state: the status a SetState to it uses when none is given.</summary>
    public int? DefaultStatus { get; init; }

    public string? InvariantName { get; init; }

    /// <summary>For a status: the state it belongs to.</summary>
    public int? State { get; init; }
}

/// <summary>A column of a table, with Dataverse's AttributeMetadata properties.</summary>
public sealed record AttributeDefinition
{
    public string LogicalName { get; init; } = "";

    public string SchemaName { get; init; } = "";

    public AttributeTypeCode AttributeType { get; init; }

    public string? Description { get; init; }

    public string DisplayName { get; init; } = "";

    public string? AddedBy { get; init; }

    /// <summary>Integer and DateTime format ("None", "DateOnly", "DateAndTime").</summary>
    public string? Format { get; init; }

    /// <summary>String format ("Text").</summary>
    public string? FormatName { get; init; }

    public string? DateTimeBehavior { get; init; }

    public bool? IsLocalizable { get; init; }

    public bool IsValidForForm { get; init; }

    public bool IsValidForRead { get; init; }

    public bool IsValidForCreate { get; init; }

    public bool IsValidForUpdate { get; init; }

    public int? MaxLength { get; init; }

    public long? MinValue { get; init; }

    public long? MaxValue { get; init; }

    public AttributeRequiredLevel RequiredLevel { get; init; }

    /// <summary>For lookups: the tables a value may point to.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>For a name or type companion (createdbyname, owneridtype): the lookup it describes.</summary>
    public string? AttributeOf { get; init; }

    public IReadOnlyList<OptionDefinition> Options { get; init; } = [];

    /// <summary>Column security: only principals whose role reads secured columns see the value; others read null.</summary>
    public bool IsSecured { get; init; }

    /// <summary>True for lookups and owner columns: written through a navigation property, read as _x_value.</summary>
    [JsonIgnore]
    public bool IsLookup => AttributeType is AttributeTypeCode.Lookup or AttributeTypeCode.Owner;

    /// <summary>Name companions (createdbyname, owneridyominame) are read from the related table, not stored.</summary>
    [JsonIgnore]
    public bool IsStored => !(AttributeOf is not null && AttributeType == AttributeTypeCode.String);

    [JsonIgnore]
    public bool IsChoice => AttributeType is AttributeTypeCode.State or AttributeTypeCode.Status or AttributeTypeCode.Picklist;

    [JsonIgnore]
    public bool IsDateOnly => string.Equals(Format, "DateOnly", StringComparison.Ordinal);
}
