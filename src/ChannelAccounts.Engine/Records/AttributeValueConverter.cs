using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Records;

/// <summary>
/// Turns an SDK attribute value into its storage value, checking type, length and range against the column's
/// definition. Every check a Dataverse developer would hit on Create or Update lives here.
/// </summary>
public static class AttributeValueConverter
{
    // SQL Server's datetime range, which Dataverse inherits.
    private static readonly DateTime MinDate = new(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime MaxDate = new(9999, 12, 30, 23, 59, 59, DateTimeKind.Utc);

    public static object? ToStorage(EntityDefinition entity, AttributeDefinition attribute, object? value)
    {
        if (value is null)
        {
            return null;
        }

        return attribute.AttributeType switch
        {
            AttributeTypeCode.String or AttributeTypeCode.Memo => CheckString(entity, attribute, Expect<string>(attribute, value)),
            AttributeTypeCode.Integer => CheckRange(entity, attribute, Expect<int>(attribute, value)),
            AttributeTypeCode.BigInt => CheckRange(entity, attribute, Expect<long>(attribute, value)),
            AttributeTypeCode.Boolean => Expect<bool>(attribute, value),
            AttributeTypeCode.Uniqueidentifier => Expect<Guid>(attribute, value),
            AttributeTypeCode.DateTime => CheckDate(attribute, Expect<DateTime>(attribute, value)),
            AttributeTypeCode.State or AttributeTypeCode.Status or AttributeTypeCode.Picklist =>
                CheckOption(entity, attribute, Expect<OptionSetValue>(attribute, value).Value),
            AttributeTypeCode.Lookup or AttributeTypeCode.Owner => CheckTarget(attribute, Expect<EntityReference>(attribute, value)).Id,
            AttributeTypeCode.EntityName => OwnerTypes.OwnerTypeCode(Expect<string>(attribute, value)),
            _ => throw new NotSupportedException($"Attribute type {attribute.AttributeType} has no storage mapping."),
        };
    }

    private static T Expect<T>(AttributeDefinition attribute, object value) =>
        value is T typed
            ? typed
            : throw DataverseFault.InvalidArgument(
                $"Incorrect type of attribute value: '{attribute.LogicalName}' is of type {attribute.AttributeType} and takes a {typeof(T).Name}, not a {value.GetType().Name}.");

    private static string? CheckString(EntityDefinition entity, AttributeDefinition attribute, string value)
    {
        if (attribute.MaxLength is { } max && value.Length > max)
        {
            throw DataverseFault.StringTooLong(attribute.LogicalName, entity.LogicalName, max);
        }

        // Dataverse stores an empty string as null.
        return value.Length == 0 ? null : value;
    }

    private static T CheckRange<T>(EntityDefinition entity, AttributeDefinition attribute, T value)
        where T : struct, IConvertible
    {
        var number = value.ToInt64(System.Globalization.CultureInfo.InvariantCulture);
        if ((attribute.MinValue is { } min && number < min) || (attribute.MaxValue is { } max && number > max))
        {
            throw DataverseFault.ValueOutOfRange(attribute.LogicalName, entity.LogicalName, number,
                attribute.MinValue ?? long.MinValue, attribute.MaxValue ?? long.MaxValue);
        }

        return value;
    }

    private static DateTime CheckDate(AttributeDefinition attribute, DateTime value)
    {
        var stored = OwnerTypes.ToStoredDateTime(value);
        if (stored < MinDate || stored > MaxDate)
        {
            throw DataverseFault.InvalidArgument(
                $"The date-time value {value:O} of '{attribute.LogicalName}' is outside the supported range (1753-01-01 to 9999-12-30).");
        }

        return stored;
    }

    private static int CheckOption(EntityDefinition entity, AttributeDefinition attribute, int value)
    {
        if (attribute.Options.Count > 0 && !attribute.Options.Any(o => o.Value == value))
        {
            throw DataverseFault.InvalidArgument(
                $"A validation error occurred.  The value {value} of '{attribute.LogicalName}' on record of type '{entity.LogicalName}' is outside the valid range. Accepted Values: {string.Join(",", attribute.Options.Select(o => o.Value))}");
        }

        return value;
    }

    private static EntityReference CheckTarget(AttributeDefinition attribute, EntityReference reference)
    {
        if (!attribute.Targets.Contains(reference.LogicalName, StringComparer.Ordinal))
        {
            throw DataverseFault.InvalidArgument(
                $"The lookup '{attribute.LogicalName}' can point to {string.Join(" or ", attribute.Targets)}, not to '{reference.LogicalName}'.");
        }

        return reference;
    }
}
