using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file outside the writer slot. SQLite's automatic checkpoint runs inside
/// the commit that crosses 1,000 WAL pages, so that writer, and every writer queued behind the slot, waits for the
/// copy and its fsync; measured, that halved the rate of single-record creates. Here every 100 written messages
/// one PASSIVE checkpoint runs on the thread pool, beside readers and writers. The writer connection keeps an
/// automatic checkpoint at a much larger WAL as a safety net.
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString)
{
    /// <summary>Messages written between checkpoints (a single-record create adds up to 10 WAL pages).</summary>
    private const int WritesPerCheckpoint = 100;

    /// <summary>The writer's own automatic checkpoint, only reached when these checkpoints fall far behind.</summary>
    public const int WriterAutoCheckpointPages = 10_000;

    private int _writes;
    private Task _running = Task.CompletedTask;
    private int _busy;

    /// <summary>Called after every commit of the store, with the number of messages it made durable.</summary>
    public void AfterWrite(int messages = 1)
    {
        if (Interlocked.Add(ref _writes, messages) < WritesPerCheckpoint || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return;
        }

        Interlocked.Exchange(ref _writes, 0);
        Volatile.Write(ref _running, Task.Run(Checkpoint));
    }

    /// <summary>Waits for a checkpoint in progress (the store is being disposed).</summary>
    public Task WhenIdleAsync() => Volatile.Read(ref _running);

    private void Checkpoint()
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            checkpoint.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // Another process's checkpoint holds the lock, or the file is gone: the next round (or the writer's own
            // automatic checkpoint) catches up.
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }
}
