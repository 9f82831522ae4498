using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage.Schema;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// Planner statistics for a database that has never been analysed. Without sqlite_stat1 SQLite takes every
/// equality as highly selective, so "statecode = 0 ORDER BY msdyn_name" reads the statecode index and sorts every
/// match on each page. Seeded estimates (sqlite.org: "manual control of query plans using sqlite_stat1") say that
/// choice and lookup columns repeat a lot, so paging walks the (order column, id) index and stops at the LIMIT.
/// Rows ANALYZE has written are never replaced, and PRAGMA optimize refreshes them as the tables grow.
/// </summary>
internal static class SqliteStatistics
{
    private const long AssumedRows = 1_000_000;

    public static async Task SeedAsync(DbConnection connection, DbTransaction transaction, MetadataCatalog catalog, CancellationToken cancellationToken)
    {
        // Creates sqlite_stat1 when missing; analysing only the schema table is instant.
        await ExecuteAsync(connection, transaction, "ANALYZE sqlite_schema", cancellationToken);
        foreach (var entity in catalog.Entities)
        {
            foreach (var attribute in SchemaDefinition.IndexedAttributes(entity))
            {
                var index = $"ix_{entity.LogicalName}_{attribute.LogicalName}";
                var stat = $"{AssumedRows} {RowsPerValue(attribute)} 1";
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) SELECT @p0, @p1, @p2 " +
                    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_stat1 WHERE tbl = @p0 AND idx = @p1)",
                    cancellationToken, entity.LogicalName, index, stat);
            }
        }
        // Loads the statistics into this connection; others load them with the changed schema.
        await ExecuteAsync(connection, transaction, "ANALYZE sqlite_schema", cancellationToken);
    }

    /// <summary>How many rows share one value, as a guess: few states and owners, nearly unique dates and names.</summary>
    private static long RowsPerValue(AttributeDefinition attribute) => attribute.AttributeType switch
    {
        AttributeTypeCode.State or AttributeTypeCode.Status or AttributeTypeCode.Picklist or AttributeTypeCode.Boolean => AssumedRows / 2,
        AttributeTypeCode.Owner or AttributeTypeCode.Lookup => AssumedRows / 10,
        _ => 2,
    };

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql,
        CancellationToken cancellationToken, params string[] values)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var value in values)
        {
            SqliteDialect.Instance.AddParameter(command, value, AttributeTypeCode.String);
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
