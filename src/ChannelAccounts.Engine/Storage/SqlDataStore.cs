using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage.Schema;

namespace ChannelAccounts.Engine.Storage;

/// <summary>What the SQLite and PostgreSQL stores share: the dialect, generated SQL, schema migration.</summary>
public abstract class SqlDataStore : IDataStore
{
    protected SqlDataStore(SqlDialect dialect, MetadataCatalog catalog)
    {
        Dialect = dialect;
        Catalog = catalog;
        Compiler = new SqlQueryCompiler(dialect, catalog);
        AggregateCompiler = new Query.Aggregates.AggregateCompiler(dialect, catalog);
        Statements = new RecordStatements(dialect);
    }

    public string Provider => Dialect.Provider;

    public MetadataCatalog Catalog { get; }

    public SqlDialect Dialect { get; }

    internal SqlQueryCompiler Compiler { get; }

    internal Query.Aggregates.AggregateCompiler AggregateCompiler { get; }

    internal RecordStatements Statements { get; }

    /// <summary>The query that lists a table's columns (parameter 0: the table name).</summary>
    protected abstract string ExistingColumnsSql { get; }

    public abstract ValueTask<IStoreTransaction> BeginAsync(TransactionMode mode, CancellationToken cancellationToken = default);

    public bool IsTransientConflict(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException db && Dialect.IsTransientConflict(db))
            {
                return true;
            }
        }

        return false;
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await BeginMigrationAsync(cancellationToken);
        await SchemaMigrator.MigrateAsync(transaction.Connection, transaction.Transaction, Dialect,
            new SchemaDefinition(Catalog, Dialect), ExistingColumnsSql, cancellationToken);
        await AfterMigrationAsync(transaction.Connection, transaction.Transaction, cancellationToken);
        await transaction.Transaction.CommitAsync(cancellationToken);
    }

    /// <summary>A database's own step after the schema is in place (SQLite: planner statistics).</summary>
    protected virtual Task AfterMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>A write transaction that also excludes every other migration of the same database.</summary>
    protected abstract ValueTask<MigrationTransaction> BeginMigrationAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>A store transaction; without a DbTransaction every statement commits on its own (read-only use only).</summary>
    internal IStoreTransaction Wrap(DbConnection connection, DbTransaction? transaction, IDisposable? writerLock) =>
        new SqlStoreTransaction(this, new PreparedConnection(connection), transaction, writerLock);

    /// <summary>A store transaction on a connection that may outlive it (its prepared commands with it).</summary>
    internal IStoreTransaction Wrap(PreparedConnection connection, DbTransaction? transaction, IDisposable? writerLock) =>
        new SqlStoreTransaction(this, connection, transaction, writerLock);

    /// <summary>
    /// A store transaction that <paramref name="end"/> commits and ends: a message's part of a database transaction
    /// other messages share (SQLite's group commit, on their DbTransaction), or a SQLite read (no DbTransaction).
    /// </summary>
    internal IStoreTransaction WrapShared(PreparedConnection connection, DbTransaction? transaction, ISharedTransactionEnd end) =>
        new SqlStoreTransaction(this, connection, transaction, null, end);

    protected sealed class MigrationTransaction(DbConnection connection, DbTransaction transaction, IDisposable? writerLock) : IAsyncDisposable
    {
        public DbConnection Connection => connection;

        public DbTransaction Transaction => transaction;

        public async ValueTask DisposeAsync()
        {
            try
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
            }
            finally
            {
                writerLock?.Dispose();
            }
        }
    }
}
