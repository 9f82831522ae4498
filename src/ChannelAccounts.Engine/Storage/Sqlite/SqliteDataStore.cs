using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// SQLite in WAL mode. Writers are serialised in process (one SemaphoreSlim) and open BEGIN IMMEDIATE, so a
/// write never meets SQLITE_BUSY from another writer of this process; busy_timeout covers other processes.
/// Readers use deferred transactions: a WAL snapshot that runs beside the writer.
/// Connections stay open with their prepared statements: readers share a small pool, and writes always use the
/// one writer connection, whose page cache therefore stays valid from one write to the next (another connection's
/// write would make SQLite drop it and read the pages again).
/// </summary>
public sealed class SqliteDataStore : SqlDataStore
{
    private const int BusyTimeoutMilliseconds = 30_000;

    private readonly string _connectionString;
    private const int OptimizeEveryWrites = 1000;

    /// <summary>One writer slot per database file, shared by every store of this process that opens it.</summary>
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Writers = new(StringComparer.Ordinal);

    /// <summary>Native connections (pooled across SqliteConnection objects) whose pragmas are set already.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Configured = new();

    /// <summary>
    /// SQLite transactions are always serializable (read_uncommitted only matters in shared-cache mode, which this
    /// store never uses). Naming Serializable would make Microsoft.Data.Sqlite run PRAGMA read_uncommitted = 0 at
    /// every BEGIN, and a flag pragma expires every prepared statement of the connection: each would be parsed again.
    /// </summary>
    private const IsolationLevel Isolation = IsolationLevel.Unspecified;

    private const int WriterCacheKilobytes = 8 * 1024;

    /// <summary>Idle reader connections kept open; more may be open while busy, the surplus is closed on return.</summary>
    private const int MaxIdleReaders = 16;

    private readonly SemaphoreSlim _writer;
    private readonly SqliteCheckpointer _checkpointer;
    private readonly ConcurrentStack<PreparedConnection> _readers = new();
    private PreparedConnection? _writerConnection; // only touched while holding _writer
    private long _writes;
    private bool _disposed;

    public SqliteDataStore(string path, MetadataCatalog catalog) : base(SqliteDialect.Instance, catalog)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        Path = full;
        _writer = Writers.GetOrAdd(full, _ => new SemaphoreSlim(1, 1));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMilliseconds / 1000,
        }.ToString();
        _checkpointer = new SqliteCheckpointer(_connectionString);
    }

    public string Path { get; }

    protected override string ExistingColumnsSql => "SELECT name FROM pragma_table_info(@p0)";

    public override async ValueTask<IStoreTransaction> BeginAsync(TransactionMode mode, CancellationToken cancellationToken = default)
    {
        if (mode == TransactionMode.Read)
        {
            var reader = await RentReaderAsync(cancellationToken);
            try
            {
                return Wrap(reader, ((SqliteConnection)reader.Connection).BeginTransaction(Isolation, deferred: true), null);
            }
            catch
            {
                await reader.CloseAsync();
                throw;
            }
        }

        await _writer.WaitAsync(cancellationToken);
        var release = new Release(_writer);
        PreparedConnection? writer = null;
        try
        {
            writer = _writerConnection ?? await OpenWriterAsync(cancellationToken);
            _writerConnection = null;
            var connection = (SqliteConnection)writer.Connection;
            if (Interlocked.Increment(ref _writes) % OptimizeEveryWrites == 0)
            {
                await OptimizeAsync(connection, cancellationToken);
            }
            // Not deferred: Microsoft.Data.Sqlite starts it with BEGIN IMMEDIATE, taking the write lock up front.
            return Wrap(writer, connection.BeginTransaction(Isolation, deferred: false), release);
        }
        catch
        {
            if (writer is not null)
            {
                await writer.CloseAsync();
            }
            release.Dispose();
            throw;
        }
    }

    /// <summary>Completes when no checkpoint of this store is running (tests).</summary>
    internal Task CheckpointIdleAsync() => _checkpointer.WhenIdleAsync();

    private async ValueTask<PreparedConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        await using (var autoCheckpoint = connection.CreateCommand())
        {
            // The one writer's page cache stays valid between writes, so a larger one keeps the index pages every
            // insert walks (SQLite's default is 2 MB per connection; readers keep it).
            autoCheckpoint.CommandText = $"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterAutoCheckpointPages}; PRAGMA cache_size = -{WriterCacheKilobytes}";
            await autoCheckpoint.ExecuteNonQueryAsync(cancellationToken);
        }
        return new PreparedConnection(connection, GiveBackWriter);
    }

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

    /// <summary>Called before the writer slot is released, so the next writer finds it.</summary>
    private void GiveBackWriter(PreparedConnection writer)
    {
        _checkpointer.AfterWrite();
        if (_disposed)
        {
            writer.CloseAsync().AsTask().GetAwaiter().GetResult();
            return;
        }
        _writerConnection = writer;
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
        var (writeConnection, transaction, release) = await BeginWriteAsync(cancellationToken);
        return new MigrationTransaction(writeConnection, transaction, release);
    }

    protected override Task AfterMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        SqliteStatistics.SeedAsync(connection, transaction, Catalog, cancellationToken);

    /// <summary>Closes the idle connections (their native handles return to Microsoft.Data.Sqlite's pool); the writer slot outlives the store.</summary>
    public override async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _checkpointer.WhenIdleAsync();
        while (_readers.TryPop(out var reader))
        {
            await reader.CloseAsync();
        }
        await _writer.WaitAsync();
        try
        {
            if (_writerConnection is { } writer)
            {
                _writerConnection = null;
                await writer.CloseAsync();
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    private async ValueTask<(SqliteConnection, SqliteTransaction, IDisposable)> BeginWriteAsync(CancellationToken cancellationToken)
    {
        // The connection is opened before the writer slot is taken: the slot is held only for the transaction itself.
        var connection = await OpenAsync(cancellationToken);
        Release? release = null;
        try
        {
            await _writer.WaitAsync(cancellationToken);
            release = new Release(_writer);
            if (Interlocked.Increment(ref _writes) % OptimizeEveryWrites == 0)
            {
                await OptimizeAsync(connection, cancellationToken);
            }
            // Not deferred: Microsoft.Data.Sqlite starts it with BEGIN IMMEDIATE, taking the write lock up front.
            return (connection, connection.BeginTransaction(Isolation, deferred: false), release);
        }
        catch
        {
            release?.Dispose();
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Refreshes planner statistics of tables whose size changed tenfold since they were last analysed (SQLite's
    /// recommended PRAGMA optimize, bounded by analysis_limit so it takes milliseconds). Runs under the writer lock.
    /// </summary>
    private static async Task OptimizeAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var optimize = connection.CreateCommand();
        optimize.CommandText = "PRAGMA analysis_limit = 1000; PRAGMA optimize";
        await optimize.ExecuteNonQueryAsync(cancellationToken);
    }

    private async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
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

    /// <summary>Releases the writer slot once, when the transaction is disposed.</summary>
    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
