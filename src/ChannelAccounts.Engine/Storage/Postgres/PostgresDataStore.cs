using System.Data;
using ChannelAccounts.Engine.Metadata;
using Npgsql;

namespace ChannelAccounts.Engine.Storage.Postgres;

/// <summary>
/// PostgreSQL through one pooled NpgsqlDataSource with automatic preparation of repeated statements. Read
/// Committed transactions for writers, autocommit for readers; migrations hold an advisory lock so servers starting together migrate one at a time.
/// </summary>
public sealed class PostgresDataStore : SqlDataStore
{
    /// <summary>The advisory lock key of schema migrations ("CAschema" as a number).</summary>
    private const long MigrationLockKey = 0x4341_7363_6865_6d61;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDataStore(string connectionString, MetadataCatalog catalog) : base(PostgresDialect.Instance, catalog)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!ConnectionStringHas(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = 256;
        }
        if (!ConnectionStringHas(connectionString, "Auto Prepare Min Usages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }
        if (!ConnectionStringHas(connectionString, "No Reset On Close"))
        {
            // Connections never change session state (no SET, temp tables or LISTEN), so the reset a pooled
            // connection would otherwise run on its next use is pure cost.
            builder.NoResetOnClose = true;
        }
        builder.Pooling = true;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    protected override string ExistingColumnsSql =>
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1";

    public override async ValueTask<IStoreTransaction> BeginAsync(TransactionMode mode, CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            if (mode == TransactionMode.Read)
            {
                // Read Committed gives each statement its own snapshot even inside BEGIN/COMMIT, so a read-only
                // message in autocommit sees exactly the same data and saves the COMMIT round trip.
                return Wrap(connection, null, null);
            }
            var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
            return Wrap(connection, transaction, null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override async ValueTask<MigrationTransaction> BeginMigrationAsync(CancellationToken cancellationToken)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var migration = new MigrationTransaction(connection, transaction, null);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = MigrationLockKey });
            await command.ExecuteNonQueryAsync(cancellationToken);
            return migration;
        }
        catch
        {
            await migration.DisposeAsync();
            throw;
        }
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static bool ConnectionStringHas(string connectionString, string keyword) =>
        connectionString.Contains(keyword, StringComparison.OrdinalIgnoreCase) ||
        connectionString.Contains(keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
}
