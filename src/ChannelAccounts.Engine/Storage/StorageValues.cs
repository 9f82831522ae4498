using System.Globalization;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Storage;

/// <summary>The normalised CLR type of each attribute type, and the fixed-width text form of dates in SQLite.</summary>
internal static class StorageValues
{
    public const string DateFormat = "yyyy-MM-ddTHH:mm:ssZ";

    public static string FormatDate(DateTime value) =>
        ToUtcSeconds(value).ToString(DateFormat, CultureInfo.InvariantCulture);

    public static DateTime ParseDate(string text) =>
        DateTime.ParseExact(text, DateFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>Dates are stored in UTC whole seconds; an Unspecified kind is taken as UTC.</summary>
    public static DateTime ToUtcSeconds(DateTime value)
    {
        var utc = ToUtc(value);
        return utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
    }

    /// <summary>The value in UTC, to the tick; an Unspecified kind is taken as UTC.</summary>
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };

    public static bool IsGuid(AttributeTypeCode type) =>
        type is AttributeTypeCode.Uniqueidentifier or AttributeTypeCode.Lookup or AttributeTypeCode.Owner;

    public static bool IsInt32(AttributeTypeCode type) =>
        type is AttributeTypeCode.Integer or AttributeTypeCode.State or AttributeTypeCode.Status
            or AttributeTypeCode.Picklist or AttributeTypeCode.EntityName;

    /// <summary>The CLR type a column's storage values have (Guid, int, long, bool, DateTime or string).</summary>
    public static Type ClrType(AttributeTypeCode type) => type switch
    {
        _ when IsGuid(type) => typeof(Guid),
        _ when IsInt32(type) => typeof(int),
        AttributeTypeCode.BigInt => typeof(long),
        AttributeTypeCode.Boolean => typeof(bool),
        AttributeTypeCode.DateTime => typeof(DateTime),
        _ => typeof(string),
    };

    /// <summary>Checks a value handed to the store has the CLR type its column stores (a programming error otherwise).</summary>
    public static object Require(object value, AttributeTypeCode type, string column) => type switch
    {
        _ when IsGuid(type) && value is Guid => value,
        _ when IsInt32(type) && value is int => value,
        AttributeTypeCode.BigInt when value is long => value,
        AttributeTypeCode.BigInt when value is int i => (long)i,
        AttributeTypeCode.Boolean when value is bool => value,
        AttributeTypeCode.DateTime when value is DateTime d => ToUtcSeconds(d),
        AttributeTypeCode.String or AttributeTypeCode.Memo when value is string => value,
        _ => throw new ArgumentException(
            $"The column '{column}' ({type}) cannot store a value of type {value.GetType().Name}.", nameof(value)),
    };
}
