using System.Globalization;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// Converts a condition value as it arrives (CLR value, or text from OData/FetchXML) to the storage type of the
/// column it is compared with. A value that does not fit is the caller's error: an InvalidArgument fault.
/// </summary>
internal static class ConditionValues
{
    public static object Convert(object? value, AttributeDefinition column, MetadataCatalog catalog)
    {
        // owneridtype and the like are stored as object type codes but named by table in queries.
        if (column.AttributeType == AttributeTypeCode.EntityName && value is string table && catalog.TryGetByLogicalName(table, out var entity))
        {
            return entity.ObjectTypeCode;
        }
        var converted = value is null ? null : TryConvert(value, column.AttributeType);
        return converted ?? throw DataverseFault.InvalidArgument(
            $"The value '{Describe(value)}' is not valid for the column '{column.LogicalName}' of type {column.AttributeType}.");
    }

    /// <summary>The one value an operator takes (eq, like, on, last-x-days...); any other count is an InvalidArgument fault.</summary>
    public static object? Single(Sdk.Query.ConditionExpression condition) =>
        condition.Values.Count == 1
            ? condition.Values[0]
            : throw DataverseFault.InvalidArgument($"The condition operator {condition.Operator} on '{condition.AttributeName}' needs exactly one value.");

    /// <summary>A calendar day in UTC: a DateTime, DateTimeOffset or date text, time of day dropped.</summary>
    public static DateTime ConvertDay(object? value, AttributeDefinition column) =>
        ToDateTime(value ?? "") is DateTime day
            ? day.Date
            : throw DataverseFault.InvalidArgument($"The value '{Describe(value)}' is not a date for the column '{column.LogicalName}'.");

    /// <summary>
    /// The most of each unit the relative date operators accept (LastXDays, OlderThanXMonths...): about 270 years, so
    /// the range stays inside the calendar.
    /// </summary>
    public static int MaxCount(string unit) => unit switch
    {
        "minutes" => 144_000_000,
        "hours" => 2_400_000,
        "days" => 100_000,
        "weeks" => 14_000,
        "months" => 3_000,
        _ => 250,
    };

    /// <summary>A whole number of a unit ("days", "hours"...), 0 to <see cref="MaxCount"/>.</summary>
    public static int ConvertCount(object? value, string column, string unit)
    {
        long? count = value switch
        {
            int i => i,
            long l => l,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        var max = MaxCount(unit);
        return count switch
        {
            null => throw DataverseFault.InvalidArgument($"The number of {unit} '{Describe(value)}' given for the column '{column}' is not a whole number of {unit}."),
            _ when count < 0 || count > max => throw DataverseFault.InvalidArgument($"The number of {unit} {count} given for the column '{column}' is outside 0 to {max:N0}."),
            _ => (int)count.Value,
        };
    }

    private static object? TryConvert(object value, AttributeTypeCode type) => type switch
    {
        _ when StorageValues.IsGuid(type) => ToGuid(value),
        _ when StorageValues.IsInt32(type) => ToInt32(value),
        AttributeTypeCode.BigInt => ToInt64(value),
        AttributeTypeCode.Boolean => ToBoolean(value),
        AttributeTypeCode.DateTime => ToDateTime(value),
        _ => ToText(value),
    };

    private static object? ToGuid(object value) => value switch
    {
        Guid g => g,
        EntityReference r => r.Id,
        string s when Guid.TryParse(s, out var g) => g,
        _ => null,
    };

    private static object? ToInt32(object value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        short s => (int)s,
        OptionSetValue o => o.Value,
        Enum e => System.Convert.ToInt32(e, CultureInfo.InvariantCulture),
        string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
        _ => null,
    };

    private static object? ToInt64(object value) => value switch
    {
        long l => l,
        int i => (long)i,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l,
        _ => null,
    };

    private static object? ToBoolean(object value) => value switch
    {
        bool b => b,
        int i when i is 0 or 1 => i == 1,
        long l when l is 0 or 1 => l == 1,
        string s when bool.TryParse(s, out var b) => b,
        "0" => false,
        "1" => true,
        _ => null,
    };

    /// <summary>In UTC to the tick: a comparison needs the fraction of a second (FilterCompiler); the store binds whole seconds.</summary>
    private static object? ToDateTime(object value) => value switch
    {
        DateTime d => StorageValues.ToUtc(d),
        DateTimeOffset o => o.UtcDateTime,
        DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
        string s when DateTime.TryParse(s, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) => StorageValues.ToUtc(d),
        _ => null,
    };

    private static object? ToText(object value) => value switch
    {
        string s => s,
        Guid or int or long or bool => System.Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string Describe(object? value) => value switch
    {
        null => "null",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };
}
