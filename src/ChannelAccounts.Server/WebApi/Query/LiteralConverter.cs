using System.Globalization;
using ChannelAccounts.Engine.Metadata;
using Microsoft.OData;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// Turns an OData literal (or a query function's string value) into the CLR value the storage expects for a
/// column: string, int, long, Guid, bool, or DateTime in UTC.
/// </summary>
internal static class LiteralConverter
{
    public static object? Convert(object? value, AttributeDefinition column)
    {
        if (value is null or ODataNullValue)
        {
            return null;
        }

        var converted = column.AttributeType switch
        {
            AttributeTypeCode.String or AttributeTypeCode.Memo or AttributeTypeCode.EntityName => ToText(value),
            AttributeTypeCode.Integer or AttributeTypeCode.Picklist or AttributeTypeCode.State or AttributeTypeCode.Status => ToInt32(value),
            AttributeTypeCode.BigInt => ToInt64(value),
            AttributeTypeCode.Uniqueidentifier or AttributeTypeCode.Lookup or AttributeTypeCode.Owner => ToGuid(value),
            AttributeTypeCode.DateTime => ToUtcDateTime(value),
            AttributeTypeCode.Boolean => ToBoolean(value),
            _ => null,
        };
        return converted ?? throw NotConvertible(value, column);
    }

    /// <summary>Why a number does not fit a whole-number column: a fraction, a whole number written as a decimal, or out of range.</summary>
    private static Sdk.Faults.OrganizationServiceFaultException NotConvertible(object value, AttributeDefinition column)
    {
        if (column.AttributeType is not (AttributeTypeCode.Integer or AttributeTypeCode.Picklist or AttributeTypeCode.State or AttributeTypeCode.Status
            or AttributeTypeCode.BigInt))
        {
            return ODataQueryFaults.InvalidValue(value, column.LogicalName, column.AttributeType.ToString());
        }

        var (min, max) = column.AttributeType == AttributeTypeCode.BigInt ? ((decimal)long.MinValue, (decimal)long.MaxValue) : (int.MinValue, int.MaxValue);
        decimal? number = value switch
        {
            long whole => whole,
            decimal d => d,
            double d when !double.IsInfinity(d) && !double.IsNaN(d) && Math.Abs(d) < 7.9e28 => (decimal)d,
            float f when !float.IsInfinity(f) && !float.IsNaN(f) && Math.Abs(f) < 7.9e28f => (decimal)f,
            _ => null,
        };
        return number switch
        {
            null when value is double or float => ODataQueryFaults.BadQuery($"The value '{value}' is out of the range of the column '{column.LogicalName}' of type {column.AttributeType}."),
            null => ODataQueryFaults.InvalidValue(value, column.LogicalName, column.AttributeType.ToString()),
            { } n when n < min || n > max => ODataQueryFaults.BadQuery($"The value '{value}' is out of the range of the column '{column.LogicalName}' of type {column.AttributeType}."),
            { } n when decimal.Truncate(n) != n => ODataQueryFaults.BadQuery(
                $"The column '{column.LogicalName}' of type {column.AttributeType} takes a whole number, not the decimal literal '{value}'; write it as an integer such as 1."),
            _ => ODataQueryFaults.BadQuery($"The column '{column.LogicalName}' of type {column.AttributeType} takes an integer literal; write '{value}' without a decimal point or exponent."),
        };
    }

    /// <summary>A count of days (LastXDays' PropertyValue).</summary>
    public static int ToUnitCount(object? value, string function) =>
        (value is null ? null : ToInt32(value)) as int? ?? throw ODataQueryFaults.BadQuery(value is long
            ? $"The value '{value}' for the parameter PropertyValue of {function} is out of range; it takes a whole number such as PropertyValue=7."
            : $"The value '{value}' is not valid for the parameter PropertyValue of {function}: it takes a whole number, such as PropertyValue=7.");

    private static string? ToText(object value) => value switch
    {
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static object? ToInt32(object value) => value switch
    {
        int number => number,
        long number and >= int.MinValue and <= int.MaxValue => (int)number,
        string text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static object? ToInt64(object value) => value switch
    {
        int number => (long)number,
        long number => number,
        string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    private static object? ToGuid(object value) => value switch
    {
        Guid guid => guid,
        string text when Guid.TryParse(text, out var guid) => guid,
        _ => null,
    };

    private static object? ToBoolean(object value) => value switch
    {
        bool flag => flag,
        string text when bool.TryParse(text, out var flag) => flag,
        string text when text is "0" or "1" => text == "1",
        _ => null,
    };

    /// <summary>A point in time in UTC; a calendar date (Edm.Date literal or "2024-01-31") is its midnight UTC.</summary>
    private static object? ToUtcDateTime(object value) => value switch
    {
        DateTimeOffset instant => instant.UtcDateTime,
#pragma warning disable CS0618 // ODL 8's parser still produces Edm.Date literals as Microsoft.OData.Edm.Date.
        Date date => new DateTime(date.Year, date.Month, date.Day, 0, 0, 0, DateTimeKind.Utc),
#pragma warning restore CS0618
        DateOnly date => date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        DateTime time => time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime(),
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) => instant.UtcDateTime,
        _ => null,
    };
}
