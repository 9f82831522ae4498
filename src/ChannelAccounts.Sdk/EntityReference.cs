namespace ChannelAccounts.Sdk;

/// <summary>A pointer to a record: table logical name and id, with the record's primary name when known.</summary>
public sealed class EntityReference : IEquatable<EntityReference>
{
    public EntityReference() { }

    public EntityReference(string logicalName, Guid id)
    {
        LogicalName = logicalName;
        Id = id;
    }

    public string LogicalName { get; set; } = "";

    public Guid Id { get; set; }

    public string? Name { get; set; }

    public bool Equals(EntityReference? other) =>
        other is not null && Id == other.Id && string.Equals(LogicalName, other.LogicalName, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as EntityReference);

    public override int GetHashCode() => HashCode.Combine(LogicalName, Id);

    public override string ToString() => $"{LogicalName}({Id})";
}
