using ChannelAccounts.Engine.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace ChannelAccounts.Bench.Loading;

/// <summary>
/// PostgreSQL: drops the account table's indexes (not the primary key), loads the rows with COPY ... FROM STDIN
/// (FORMAT BINARY) in one transaction, recreates the indexes from pg_indexes, advances the ca_versionnumber
/// sequence past the loaded rows, ANALYZE.
/// </summary>
public sealed class PostgresBulkLoader(string connectionString) : IBulkLoader
{
    public async Task LoadAsync(BenchOwners owners, AccountRows rows, int count, IReadOnlyList<AttributeDefinition> columns, DateTime now)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "SET maintenance_work_mem = '256MB'");
        await InsertOwnersAsync(connection, owners, now);

        var table = MetadataCatalog.WhatsAppAccount;
        var indexes = await IndexDdlAsync(connection, table);
        foreach (var (name, _) in indexes)
        {
            await ExecuteAsync(connection, $"DROP INDEX {name}");
        }

        var names = columns.Select(c => c.LogicalName).ToArray();
        var types = columns.Select(c => DbType(c.AttributeType)).ToArray();
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {table} ({string.Join(", ", names)}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                for (var c = 0; c < names.Length; c++)
                {
                    var value = rows.Value(i, names[c]);
                    if (value is null)
                    {
                        await copy.WriteNullAsync();
                    }
                    else
                    {
                        await copy.WriteAsync(StorageFormat.ForPostgres(value), types[c]);
                    }
                }
            }
            await copy.CompleteAsync();
        }

        foreach (var (_, ddl) in indexes)
        {
            await ExecuteAsync(connection, ddl);
        }

        // pg_indexes keeps only the CREATE INDEX: the schema's statistics targets go with the dropped index, so set them again.
        var schema = new ChannelAccounts.Engine.Storage.Schema.SchemaDefinition(MetadataCatalog.Default, ChannelAccounts.Engine.Storage.Postgres.PostgresDialect.Instance);
        foreach (var statistics in schema.Indexes(MetadataCatalog.Default[table]).Where(s => s.StartsWith("ALTER INDEX", StringComparison.Ordinal)))
        {
            await ExecuteAsync(connection, statistics);
        }
        await ExecuteAsync(connection, $"SELECT setval('ca_versionnumber', greatest((SELECT last_value FROM ca_versionnumber), {AccountRows.FirstVersion + count}))");
        await ExecuteAsync(connection, "ANALYZE");
    }

    private static NpgsqlDbType DbType(AttributeTypeCode type) => type switch
    {
        AttributeTypeCode.Uniqueidentifier or AttributeTypeCode.Lookup or AttributeTypeCode.Owner => NpgsqlDbType.Uuid,
        AttributeTypeCode.String or AttributeTypeCode.Memo => NpgsqlDbType.Text,
        AttributeTypeCode.DateTime => NpgsqlDbType.TimestampTz,
        AttributeTypeCode.Boolean => NpgsqlDbType.Boolean,
        AttributeTypeCode.BigInt => NpgsqlDbType.Bigint,
        _ => NpgsqlDbType.Integer,
    };

    private static async Task InsertOwnersAsync(NpgsqlConnection connection, BenchOwners owners, DateTime now)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (table, row) in owners.Rows(now))
        {
            await using var command = new NpgsqlCommand(
                $"INSERT INTO {table} ({string.Join(", ", row.Keys)}) VALUES ({string.Join(", ", row.Keys.Select((_, i) => "$" + (i + 1)))})",
                connection, transaction);
            foreach (var value in row.Values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = StorageFormat.ForPostgres(value) });
            }
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    private static async Task<List<(string Name, string Ddl)>> IndexDdlAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname NOT LIKE '%_pkey'",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        var indexes = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            indexes.Add((reader.GetString(0), reader.GetString(1)));
        }
        return indexes;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
