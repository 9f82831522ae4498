using System.Data;
using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// The one writer of a database file in this process, with group commit. SQLite lets one transaction write at a
/// time, and most of a small write's cost is its COMMIT writing every page it changed to the WAL (a create changes a
/// page of each of ten indexes, most of them the same last pages as the create before it). So the messages queued
/// behind a writer join its transaction, each inside a savepoint of its own, and one COMMIT makes the whole group
/// durable. A message's commit returns only after that COMMIT, so what it wrote is visible to every reader when its
/// caller hears back; a message that fails rolls back to its savepoint and leaves the others alone. A group ends when
/// no writer is waiting or it has <see cref="MaxMembers"/> messages.
/// </summary>
internal sealed class SqliteWriter
{
    /// <summary>Messages per transaction at most, so no caller waits on an endless stream of later writers.</summary>
    public const int MaxMembers = 64;

    /// <summary>A member's writes since the last PRAGMA optimize.</summary>
    private const int OptimizeEveryWrites = 1000;

    private const int CacheKilobytes = 8 * 1024;

    /// <summary>One writer per database file, shared by every store of this process that opens it.</summary>
    private static readonly Dictionary<string, SqliteWriter> Writers = new(StringComparer.Ordinal);

    private readonly string _path;
    private readonly Func<CancellationToken, ValueTask<SqliteConnection>> _open;
    private readonly SemaphoreSlim _slot = new(1, 1);
    private int _leases;
    private int _queued;
    private long _writes;

    // Touched only while holding the slot.
    private PreparedConnection? _connection;
    private WriteGroup? _group;

    private SqliteWriter(string path, Func<CancellationToken, ValueTask<SqliteConnection>> open, string connectionString)
    {
        _path = path;
        _open = open;
        Checkpointer = new SqliteCheckpointer(connectionString);
    }

    public SqliteCheckpointer Checkpointer { get; }

    /// <summary>Writers waiting for the slot (tests).</summary>
    internal int Queued => Volatile.Read(ref _queued);

    /// <summary>The writer of this file, shared while any store holds a lease on it.</summary>
    public static SqliteWriter Lease(string path, Func<CancellationToken, ValueTask<SqliteConnection>> open, string connectionString)
    {
        lock (Writers)
        {
            if (!Writers.TryGetValue(path, out var writer))
            {
                Writers[path] = writer = new SqliteWriter(path, open, connectionString);
            }
            writer._leases++;
            return writer;
        }
    }

    /// <summary>Ends a lease; the last one commits an open group and closes the connection.</summary>
    public async ValueTask ReturnLeaseAsync()
    {
        lock (Writers)
        {
            if (--_leases > 0)
            {
                return;
            }
            Writers.Remove(_path);
        }

        await Checkpointer.WhenIdleAsync();
        using var exclusive = await ExclusiveAsync(CancellationToken.None);
        if (_connection is { } connection)
        {
            _connection = null;
            await connection.CloseAsync();
        }
    }

    /// <summary>
    /// A write transaction: the open group's, inside a savepoint of its own, or a new group's. The caller holds the
    /// writer slot until it commits or is disposed.
    /// </summary>
    public async ValueTask<IStoreTransaction> BeginAsync(SqlDataStore store, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _queued);
        try
        {
            await _slot.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _queued);
            // The writer before this one may have kept its group open for it: see that the group ends anyway.
            (await ExclusiveAsync(CancellationToken.None)).Dispose();
            throw;
        }
        Interlocked.Decrement(ref _queued);

        WriteGroup? group = null;
        try
        {
            group = _group ??= await StartGroupAsync(cancellationToken);
            Interlocked.Increment(ref _writes);
            var member = new GroupMember(this, group);
            await member.BeginAsync();
            return store.WrapShared(group.Connection, group.Transaction, member);
        }
        catch (Exception e)
        {
            if (group is null)
            {
                _slot.Release();
            }
            else
            {
                group.Fail(e);
                await EndTurnAsync(group);
            }
            throw;
        }
    }

    /// <summary>
    /// Holds the writer slot with no group open (a migration on a connection of its own, closing the store): an
    /// open group is committed first, as its members expect. Disposing the result releases the slot.
    /// </summary>
    public async ValueTask<IDisposable> ExclusiveAsync(CancellationToken cancellationToken)
    {
        await _slot.WaitAsync(cancellationToken);
        if (_group is { } group)
        {
            await EndGroupAsync(group); // never throws: a failed commit fails the group's members instead
        }
        return new SlotRelease(_slot);
    }

    private async ValueTask<WriteGroup> StartGroupAsync(CancellationToken cancellationToken)
    {
        var connection = _connection ??= await OpenWriterAsync(cancellationToken);
        var sqlite = (SqliteConnection)connection.Connection;
        if (Interlocked.Read(ref _writes) >= OptimizeEveryWrites)
        {
            Interlocked.Exchange(ref _writes, 0);
            await using var optimize = sqlite.CreateCommand();
            // Refreshes planner statistics of tables whose size changed tenfold (SQLite's recommended PRAGMA
            // optimize, bounded by analysis_limit so it takes milliseconds).
            optimize.CommandText = "PRAGMA analysis_limit = 1000; PRAGMA optimize";
            await optimize.ExecuteNonQueryAsync(cancellationToken);
        }

        // Not deferred: Microsoft.Data.Sqlite starts it with BEGIN IMMEDIATE, taking the write lock up front.
        return new WriteGroup(connection, sqlite.BeginTransaction(SqliteDataStore.Isolation, deferred: false));
    }

    private async ValueTask<PreparedConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        var connection = await _open(cancellationToken);
        await using (var pragmas = connection.CreateCommand())
        {
            // The one writer's page cache stays valid between writes, so a larger one keeps the index pages every
            // insert walks (SQLite's default is 2 MB per connection; readers keep it).
            pragmas.CommandText = $"PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterAutoCheckpointPages}; PRAGMA cache_size = -{CacheKilobytes}";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
        }
        return new PreparedConnection(connection);
    }

    /// <summary>
    /// Called by the member holding the slot once its part is done: the group stays open for a queued writer, or
    /// ends here. Either way the slot is released.
    /// </summary>
    private async ValueTask EndTurnAsync(WriteGroup group)
    {
        try
        {
            if (!group.Failed && group.Members < MaxMembers && Volatile.Read(ref _queued) > 0)
            {
                return;
            }
            await EndGroupAsync(group);
        }
        finally
        {
            _slot.Release();
        }
    }

    /// <summary>Commits the group (rolls it back when a member left it in doubt) and tells every waiting member.</summary>
    private async ValueTask EndGroupAsync(WriteGroup group)
    {
        _group = null;
        try
        {
            if (group.Failure is { } failure)
            {
                if (group.Committing == 0)
                {
                    // Only the first write, which rolled back: nobody waits for this transaction.
                    await group.Transaction.RollbackAsync();
                    await group.Transaction.DisposeAsync();
                    group.Done.TrySetResult();
                    return;
                }
                throw new InvalidOperationException("A write that shared this transaction failed in a way that undid it; nothing of it was committed.", failure);
            }
            await group.Transaction.CommitAsync();
            await group.Transaction.DisposeAsync();
            // Counted before the writers hear back, so a checkpoint this commit starts is one WhenIdleAsync already sees.
            Checkpointer.AfterWrite(group.Members);
            group.Done.TrySetResult();
        }
        catch (Exception e)
        {
            group.Done.TrySetException(e);
            _ = group.Done.Task.Exception; // observed even when no member waits for it
            // Whatever SQLite left of the transaction goes with the connection (closing rolls it back); the next
            // group opens a new one. Nothing here may throw: the slot's holder must still release it.
            _connection = null;
            try
            {
                await group.Connection.CloseAsync();
            }
            catch (Exception)
            {
                // Already unusable; dropped either way.
            }
        }
    }

    private sealed class WriteGroup(PreparedConnection connection, SqliteTransaction transaction)
    {
        public PreparedConnection Connection => connection;

        public SqliteTransaction Transaction => transaction;

        public int Members { get; set; }

        /// <summary>Members whose writes wait for the COMMIT.</summary>
        public int Committing { get; set; }

        /// <summary>Completes when the group's COMMIT has happened; fails when it did not.</summary>
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Failure { get; private set; }

        public bool Failed => Failure is not null;

        public void Fail(Exception e) => Failure ??= e;
    }

    /// <summary>
    /// One message's share of a group. Members run one after another (each holds the slot), so the first needs no
    /// savepoint (if it fails, nothing else is in the transaction yet) and the later ones share one savepoint name,
    /// whose statements stay prepared on the writer connection.
    /// </summary>
    private sealed class GroupMember(SqliteWriter writer, WriteGroup group) : ISharedTransactionEnd
    {
        private bool _ended;
        private bool _savepoint;

        public async ValueTask BeginAsync()
        {
            _savepoint = group.Members++ > 0;
            if (_savepoint)
            {
                await Run("SAVEPOINT ca_message");
            }
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            _ended = true;
            try
            {
                if (_savepoint)
                {
                    await Run("RELEASE ca_message");
                }
                group.Committing++;
            }
            catch (Exception e)
            {
                group.Fail(e);
            }
            await writer.EndTurnAsync(group);
            // Not cancellable: the caller must learn whether its writes were committed.
            await group.Done.Task;
        }

        public async ValueTask DisposeAsync()
        {
            if (_ended)
            {
                return;
            }
            _ended = true;
            try
            {
                if (_savepoint)
                {
                    await Run("ROLLBACK TO ca_message");
                    await Run("RELEASE ca_message");
                }
                else
                {
                    // The first member alone: rolling back the group's transaction is rolling back this message.
                    group.Fail(new OperationCanceledException("The first write of the group was rolled back."));
                }
            }
            catch (Exception e)
            {
                // SQLite undid more than this savepoint (or cannot say): the group can only be rolled back.
                group.Fail(e);
            }
            await writer.EndTurnAsync(group);
        }

        private async ValueTask Run(string sql) =>
            await group.Connection.Reusable(sql, group.Transaction).ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Releases the slot once.</summary>
    private sealed class SlotRelease(SemaphoreSlim slot) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slot.Release();
            }
        }
    }
}
