using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// SQLite in WAL mode. Writes go through the file's one <see cref="SqliteWriter"/>, which serialises them in process
/// with group commit and opens BEGIN IMMEDIATE, so a write never meets SQLITE_BUSY from another writer of this
/// process; busy_timeout covers other processes. Readers use deferred transactions: a WAL snapshot that runs beside
/// the writer. Connections stay open with their prepared statements: readers share a small pool, and writes always
/// use the one writer connection, whose page cache therefore stays valid from one write to the next (another
/// connection's write would make SQLite drop it and read the pages again).
/// </summary>
public sealed class SqliteDataStore : SqlDataStore
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;

    /// <summary>Native connections (pooled across SqliteConnection objects) whose pragmas are set already.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

    /// <summary>
    /// SQLite transactions are always serializable (read_uncommitted only matters in shared-cache mode, which this
    /// store never uses). Naming Serializable would make Microsoft.Data.Sqlite run PRAGMA read_uncommitted = 0 at
    /// every BEGIN, and a flag pragma expires every prepared statement of the connection: each would be parsed again.
    /// </summary>
    internal const IsolationLevel Isolation = IsolationLevel.Unspecified;

    /// <summary>Idle reader connections kept open; more may be open while busy, the surplus is closed on return.</summary>
    private const int MaxIdleReaders = 16;

    private readonly SqliteWriter _writer;
    private readonly ConcurrentStack<PreparedConnection> _readers = new();
    private bool _disposed;

    public SqliteDataStore(string path, MetadataCatalog catalog) : base(SqliteDialect.Instance, catalog)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        Path = full;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        _writer = SqliteWriter.Lease(full, OpenAsync, _connectionString);
    }

    public string Path { get; }

    protected override string ExistingColumnsSql => "SELECT name FROM pragma_table_info(@p0)";

    public override async ValueTask<IStoreTransaction> BeginAsync(TransactionMode mode, CancellationToken cancellationToken = default)
    {
        if (mode == TransactionMode.Write)
        {
            return await _writer.BeginAsync(this, cancellationToken);
        }

        var reader = await RentReaderAsync(cancellationToken);
        return WrapShared(reader, null, SqliteReadTransaction.Begin(reader));
    }

    /// <summary>The file's writer (tests).</summary>
    internal SqliteWriter Writer => _writer;

    /// <summary>Completes when no checkpoint of this store is running (tests).</summary>
    internal Task CheckpointIdleAsync() => _writer.Checkpointer.WhenIdleAsync();

    private async ValueTask<PreparedConnection> RentReaderAsync(CancellationToken cancellationToken) =>
        _readers.TryPop(out var reader) ? reader : new PreparedConnection(await OpenAsync(cancellationToken), GiveBackReader);

    private void GiveBackReader(PreparedConnection reader)
    {
        if (_disposed || _readers.Count >= MaxIdleReaders)
        {
            reader.CloseAsync().AsTask().GetAwaiter().GetResult();
            return;
        }
        _readers.Push(reader);
    }

    protected override async ValueTask<MigrationTransaction> BeginMigrationAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        await using (var wal = connection.CreateCommand())
        {
            // WAL is a property of the database file: set once, kept by every later connection.
            wal.CommandText = "PRAGMA journal_mode = WAL";
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
        await connection.DisposeAsync();

        // A connection of its own, opened before the writer slot is taken: the slot is held only for the transaction.
        var migration = await OpenAsync(cancellationToken);
        IDisposable? exclusive = null;
        try
        {
            exclusive = await _writer.ExclusiveAsync(cancellationToken);
            // Not deferred: Microsoft.Data.Sqlite starts it with BEGIN IMMEDIATE, taking the write lock up front.
            return new MigrationTransaction(migration, migration.BeginTransaction(Isolation, deferred: false), exclusive);
        }
        catch
        {
            exclusive?.Dispose();
            await migration.DisposeAsync();
            throw;
        }
    }

    protected override Task AfterMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        SqliteStatistics.SeedAsync(connection, transaction, Catalog, cancellationToken);

    /// <summary>Closes the idle readers (their native handles return to Microsoft.Data.Sqlite's pool) and ends this store's lease on the writer.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        while (_readers.TryPop(out var reader))
        {
            await reader.CloseAsync();
        }
        await _writer.ReturnLeaseAsync();
    }

    private async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        SqliteFunctions.Register(connection); // kept by this connection object, not by the pooled native handle
        // The pragmas belong to the native connection, which the pool keeps: set them once per native handle.
        if (connection.Handle is { } handle && Configured.TryGetValue(handle, out _))
        {
            return connection;
        }
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        if (connection.Handle is { } opened)
        {
            Configured.AddOrUpdate(opened, string.Empty);
        }
        return connection;
    }
}
