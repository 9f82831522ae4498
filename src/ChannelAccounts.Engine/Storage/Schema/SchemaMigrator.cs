using System.Data.Common;
using System.Globalization;

namespace ChannelAccounts.Engine.Storage.Schema;

/// <summary>
/// Brings a database up to the catalog inside one transaction: creates missing tables, adds missing columns
/// (data stays), drops retired indexes, creates indexes and records the applied version. The caller holds the migration lock.
/// </summary>
internal static class SchemaMigrator
{
    public static async Task MigrateAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect,
        SchemaDefinition schema, string existingColumnsSql, CancellationToken cancellationToken)
    {
        foreach (var ddl in schema.InternalTables())
        {
            await ExecuteAsync(connection, transaction, ddl, cancellationToken);
        }

        var fingerprint = schema.Fingerprint();
        await using (var check = Command(connection, transaction, "SELECT 1 FROM ca_schema_version WHERE fingerprint = " + dialect.Parameter(0)))
        {
            // This exact schema was applied before: every table, column and index is there already.
            dialect.AddParameter(check, fingerprint, Metadata.AttributeTypeCode.String);
            if (await check.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return;
            }
        }

        foreach (var drop in SchemaDefinition.DropRetiredIndexes())
        {
            await ExecuteAsync(connection, transaction, drop, cancellationToken);
        }

        foreach (var entity in schema.Catalog.Entities)
        {
            var existing = await ExistingColumnsAsync(connection, transaction, dialect, existingColumnsSql, entity.LogicalName, cancellationToken);
            if (existing.Count == 0)
            {
                await ExecuteAsync(connection, transaction, schema.CreateTable(entity), cancellationToken);
            }
            else
            {
                foreach (var attribute in entity.StoredAttributes.Where(a => !existing.Contains(a.LogicalName)))
                {
                    await ExecuteAsync(connection, transaction, schema.AddColumn(entity, attribute), cancellationToken);
                }
            }
            foreach (var index in schema.Indexes(entity))
            {
                await ExecuteAsync(connection, transaction, index, cancellationToken);
            }
        }

        await using var record = Command(connection, transaction,
            "INSERT INTO ca_schema_version (version, fingerprint, appliedon) " +
            $"SELECT coalesce(max(version), 0) + 1, {dialect.Parameter(0)}, {dialect.Parameter(1)} FROM ca_schema_version");
        dialect.AddParameter(record, fingerprint, Metadata.AttributeTypeCode.String);
        dialect.AddParameter(record, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture), Metadata.AttributeTypeCode.String);
        await record.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<HashSet<string>> ExistingColumnsAsync(DbConnection connection, DbTransaction transaction,
        SqlDialect dialect, string sql, string table, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        dialect.AddParameter(command, table, Metadata.AttributeTypeCode.String);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(reader.GetString(0));
        }
        return columns;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
