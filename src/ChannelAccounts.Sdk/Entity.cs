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

        // A whole number read as one width and asked for as another (int and long), as early-bound properties do.
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (value is IConvertible && (target == typeof(long) || target == typeof(int) || target == typeof(decimal) || target == typeof(double)))
        {
            return (T)Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new InvalidCastException(
            $"The attribute '{attributeName}' holds a {value.GetType().Name}, not a {typeof(T).Name}.");
    }

    public EntityReference ToEntityReference() => new(LogicalName, Id);

    /// <summary>Sets (or, with null, clears to null) an attribute, as early-bound properties do.</summary>
    public void SetAttributeValue(string attributeName, object? value) => Attributes[attributeName] = value;

    /// <summary>This record as the early-bound type T (a copy sharing the attribute values), as in Microsoft.Xrm.Sdk.</summary>
    public T ToEntity<T>() where T : Entity, new()
    {
        if (this is T same)
        {
            return same;
        }

        var typed = new T();
        if (typed.LogicalName.Length > 0 && LogicalName.Length > 0 && typed.LogicalName != LogicalName)
        {
            throw new InvalidCastException($"A {LogicalName} record cannot become a {typeof(T).Name} ({typed.LogicalName}).");
        }

        CopyTo(typed);
        return typed;
    }

    /// <summary>A late-bound copy (type Entity) of this record.</summary>
    public Entity ToLateBound()
    {
        var entity = new Entity();
        CopyTo(entity);
        return entity;
    }

    /// <summary>Copies logical name, id, version, attributes and formatted values into another record.</summary>
    public void CopyTo(Entity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        other.LogicalName = LogicalName.Length > 0 ? LogicalName : other.LogicalName;
        other.Id = Id;
        other.RowVersion = RowVersion;
        foreach (var (name, value) in Attributes)
        {
            other.Attributes[name] = value;
        }

        foreach (var (name, value) in FormattedValues)
        {
            other.FormattedValues[name] = value;
        }
    }
}

public sealed class AttributeCollection : Dictionary<string, object?>
{
    public AttributeCollection() : base(StringComparer.Ordinal) { }
}

public sealed class FormattedValueCollection : Dictionary<string, string>
{
    public FormattedValueCollection() : base(StringComparer.Ordinal) { }
}

/// <summary>The table an early-bound class stands for.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class EntityLogicalNameAttribute(string logicalName) : Attribute
{
    public string LogicalName { get; } = logicalName;
}

/// <summary>The column an early-bound property stands for.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class AttributeLogicalNameAttribute(string logicalName) : Attribute
{
    public string LogicalName { get; } = logicalName;
}
