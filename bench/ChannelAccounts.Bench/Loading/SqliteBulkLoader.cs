using System.Text;
using ChannelAccounts.Engine.Metadata;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChannelAccounts.Bench.Loading;

/// <summary>
/// SQLite: drops the account table's indexes, inserts 100 rows per prepared multi-row INSERT (bound by position),
/// 100,000 rows per transaction, recreates the indexes from their saved DDL, sets ca_versionnumber past the loaded rows, ANALYZE.
/// </summary>
public sealed class SqliteBulkLoader(string connectionString) : IBulkLoader
{
    private const int RowsPerStatement = 100;
    private const int RowsPerTransaction = 100_000;

    public async Task LoadAsync(BenchOwners owners, AccountRows rows, int count, IReadOnlyList<AttributeDefinition> columns, DateTime now)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -200000");
        await InsertOwnersAsync(connection, owners, now);

        var table = MetadataCatalog.WhatsAppAccount;
        var indexes = await IndexDdlAsync(connection, table);
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX {name}");
        }

        var names = columns.Select(c => c.LogicalName).ToArray();
        var db = connection.Handle!;
        using (var insert = new RawInsert(db, table, names, RowsPerStatement))
        {
            for (var start = 0; start < count; start += RowsPerTransaction)
            {
                Check(db, raw.sqlite3_exec(db, "BEGIN"));
                var end = Math.Min(count, start + RowsPerTransaction);
                for (var batch = start; batch < end; batch += RowsPerStatement)
                {
                    var size = Math.Min(RowsPerStatement, end - batch);
                    if (size == RowsPerStatement)
                    {
                        insert.Execute(rows, batch);
                    }
                    else
                    {
                        using var tail = new RawInsert(db, table, names, size);
                        tail.Execute(rows, batch);
                    }
                }
                Check(db, raw.sqlite3_exec(db, "COMMIT"));
            }
        }

        foreach (var (_, ddl) in indexes)
        {
            await ExecuteAsync(connection, ddl);
        }
        await ExecuteAsync(connection, $"UPDATE ca_versionnumber SET value = max(value, {AccountRows.FirstVersion + count}) WHERE id = 1");
        await ExecuteAsync(connection, "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)");
    }

    private static async Task InsertOwnersAsync(SqliteConnection connection, BenchOwners owners, DateTime now)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        foreach (var (table, row) in owners.Rows(now))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"INSERT INTO {table} ({string.Join(", ", row.Keys)}) VALUES ({string.Join(", ", row.Keys.Select((_, i) => "@p" + i))})";
            var i = 0;
            foreach (var value in row.Values)
            {
                command.Parameters.AddWithValue("@p" + i++, StorageFormat.ForSqlite(value));
            }
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_DONE)
        {
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(db).utf8_to_string()}");
        }
    }

    /// <summary>
    /// One prepared multi-row INSERT bound by position through SQLitePCL.raw: Microsoft.Data.Sqlite binds by name,
    /// and SQLite's name lookup is linear, which makes thousands of named parameters quadratic.
    /// </summary>
    private sealed class RawInsert : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;
        private readonly string[] _names;
        private readonly int _rows;

        public RawInsert(sqlite3 db, string table, string[] names, int rows)
        {
            _db = db;
            _names = names;
            _rows = rows;
            var row = "(" + string.Join(", ", names.Select(_ => "?")) + ")";
            var sql = $"INSERT INTO {table} ({string.Join(", ", names)}) VALUES " + string.Join(", ", Enumerable.Repeat(row, rows));
            Check(db, raw.sqlite3_prepare_v2(db, sql, out _statement));
        }

        public void Execute(AccountRows rows, int first)
        {
            var index = 1;
            for (var r = 0; r < _rows; r++)
            {
                foreach (var name in _names)
                {
                    Check(_db, StorageFormat.ForSqlite(rows.Value(first + r, name)) switch
                    {
                        DBNull => raw.sqlite3_bind_null(_statement, index),
                        string text => raw.sqlite3_bind_text(_statement, index, text),
                        long number => raw.sqlite3_bind_int64(_statement, index, number),
                        int number => raw.sqlite3_bind_int64(_statement, index, number),
                        var other => throw new InvalidOperationException($"No SQLite binding for {other.GetType().Name}."),
                    });
                    index++;
                }
            }
            var rc = raw.sqlite3_step(_statement);
            Check(_db, rc);
            Check(_db, raw.sqlite3_reset(_statement));
        }

        public void Dispose() => _statement.Dispose();
    }

    private static async Task<List<(string Name, string Ddl)>> IndexDdlAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = @t AND sql IS NOT NULL";
        command.Parameters.AddWithValue("@t", table);
        var indexes = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        return indexes;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
