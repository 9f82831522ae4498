using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// Copies the WAL back into the database file outside the writer slot. SQLite's automatic checkpoint runs inside
/// the commit that crosses 1,000 WAL pages, so that writer, and every writer queued behind the slot, waits for the
/// copy and its fsync; measured, that halved the rate of single-record creates. Here every 100 written messages
/// one PASSIVE checkpoint runs on the thread pool, beside readers and writers. The writer connection keeps an
/// automatic checkpoint at a much larger WAL as a safety net.
/// </summary>
/// <param name="afterCheckpoint">Tests hold a finished checkpoint here to play a slow one.</param>
internal sealed class SqliteCheckpointer(string connectionString, Action? afterCheckpoint = null)
{
    /// <summary>Messages written between checkpoints (a single-record create adds up to 10 WAL pages).</summary>
    internal const int WritesPerCheckpoint = 100;

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

    /// <summary>Waits until no checkpoint runs, a catch-up started by the one awaited included (the store is being disposed).</summary>
    public async Task WhenIdleAsync()
    {
        Task running;
        while (!(running = Volatile.Read(ref _running)).IsCompleted)
        {
            await running;
        }
    }

    private void Checkpoint()
    {
        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            checkpoint.ExecuteNonQuery();
            afterCheckpoint?.Invoke();
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

        // Writes that came while this checkpoint ran found it busy and started none; when enough of them are due, the
        // next one starts now instead of at some later write (under load a slow fsync could otherwise leave a burst's
        // pages in the WAL until the writer's own automatic checkpoint).
        if (Volatile.Read(ref _writes) >= WritesPerCheckpoint)
        {
            AfterWrite(0);
        }
    }
}
