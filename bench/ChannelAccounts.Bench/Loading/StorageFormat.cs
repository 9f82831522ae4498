using System.Globalization;

namespace ChannelAccounts.Bench.Loading;

/// <summary>Storage values as each database stores them (SQLite: ids as 'D' text, dates as fixed-width ISO text, booleans 0/1).</summary>
public static class StorageFormat
{
    public static object ForSqlite(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => g.ToString("D"),
        DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        _ => value,
    };

    public static object ForPostgres(object? value) => value switch
    {
        null => DBNull.Value,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        _ => value,
    };
}
