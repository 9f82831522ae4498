namespace ChannelAccounts.Sdk;

/// <summary>A record of a table: its logical name, id and attribute values, as in Microsoft.Xrm.Sdk.</summary>
public class Entity
{
    public Entity() { }

    public Entity(string logicalName) => LogicalName = logicalName;

    public Entity(string logicalName, Guid id)
    {
        LogicalName = logicalName;
        Id = id;
    }

    public string LogicalName { get; set; } = "";

    public Guid Id { get; set; }

    public AttributeCollection Attributes { get; } = new();

    public FormattedValueCollection FormattedValues { get; } = new();

    /// <summary>The record's version (Dataverse versionnumber), used for optimistic concurrency.</summary>
    public string? RowVersion { get; set; }

    public object? this[string attributeName]
    {
        get => Attributes[attributeName];
        set => Attributes[attributeName] = value;
    }

    public bool Contains(string attributeName) => Attributes.ContainsKey(attributeName);

    /// <summary>The value converted to T; default(T) when the attribute is absent or null.</summary>
    public T? GetAttributeValue<T>(string attributeName)
    {
        if (!Attributes.TryGetValue(attributeName, out var value) || value is null)
        {
            return default;
        }

        if (value is T typed)
        {
            return typed;
        }

        if (value is AliasedValue aliased && aliased.Value is T inner)
        {
            return inner;
        }

        throw new InvalidCastException(
            $"The attribute '{attributeName}' holds a {value.GetType().Name}, not a {typeof(T).Name}.");
    }

    public EntityReference ToEntityReference() => new(LogicalName, Id);
}

public sealed class AttributeCollection : Dictionary<string, object?>
{
    public AttributeCollection() : base(StringComparer.Ordinal) { }
}

public sealed class FormattedValueCollection : Dictionary<string, string>
{
    public FormattedValueCollection() : base(StringComparer.Ordinal) { }
}
