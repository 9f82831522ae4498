using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage.Postgres;
using ChannelAccounts.Engine.Storage.Sqlite;

namespace ChannelAccounts.Engine.Storage;

/// <summary>Opens the store a database specification names.</summary>
public static class DataStore
{
    public const string SqlitePrefix = "sqlite:";
    public const string PostgresPrefix = "postgres:";

    /// <summary>
    /// "sqlite:PATH" (the folder is created when missing) or "postgres:CONNECTION-STRING". The schema is not
    /// touched: call EnsureSchemaAsync before use.
    /// </summary>
    public static IDataStore Open(string db, MetadataCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(catalog);
        if (db.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase) && db.Length > SqlitePrefix.Length)
        {
            return new SqliteDataStore(db[SqlitePrefix.Length..], catalog);
        }
        if (db.StartsWith(PostgresPrefix, StringComparison.OrdinalIgnoreCase) && db.Length > PostgresPrefix.Length)
        {
            return new PostgresDataStore(db[PostgresPrefix.Length..], catalog);
        }
        throw new ArgumentException(
            $"The database '{db}' is not understood: use 'sqlite:PATH' (for example sqlite:data/channelaccounts.db) " +
            "or 'postgres:CONNECTION-STRING' (for example postgres:Host=localhost;Username=postgres;Password=...).", nameof(db));
    }
}
