namespace ChannelAccounts.Sdk;

/// <summary>The value of a choice column (Picklist, State or Status).</summary>
public sealed class OptionSetValue : IEquatable<OptionSetValue>
{
    public OptionSetValue() { }

    public OptionSetValue(int value) => Value = value;

    public int Value { get; set; }

    public bool Equals(OptionSetValue? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as OptionSetValue);

    public override int GetHashCode() => Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A value that came from a linked table, named "alias.attribute" in the parent record.</summary>
public sealed class AliasedValue(string entityLogicalName, string attributeLogicalName, object? value)
{
    public string EntityLogicalName { get; } = entityLogicalName;

    public string AttributeLogicalName { get; } = attributeLogicalName;

    public object? Value { get; } = value;
}
