using ChannelAccounts.Engine.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Tests.Storage;

public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ca-checkpointer-").FullName;

    [Fact]
    public async Task Writes_that_come_while_a_checkpoint_runs_are_copied_by_the_next_one_as_soon_as_it_ends()
    {
        var path = Path.Combine(_folder, "db.sqlite");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        await using var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync();
        await ExecuteAsync(writer, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (n INTEGER)");

        using var firstDone = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var checkpoints = 0;
        var checkpointer = new SqliteCheckpointer(connectionString, afterCheckpoint: () =>
        {
            if (Interlocked.Increment(ref checkpoints) == 1)
            {
                firstDone.Set();
                release.Wait(TimeSpan.FromSeconds(30)); // a slow first checkpoint (its fsync, under load)
            }
        });

        for (var i = 1; i <= SqliteCheckpointer.WritesPerCheckpoint; i++)
        {
            await ExecuteAsync(writer, $"INSERT INTO t VALUES ({i})");
            checkpointer.AfterWrite();
        }
        Assert.True(firstDone.Wait(TimeSpan.FromSeconds(30)), "the first checkpoint did not run");

        // A burst while it is still busy: none of these writes can start a checkpoint of its own.
        for (var i = 1; i <= 150; i++)
        {
            await ExecuteAsync(writer, $"INSERT INTO t VALUES ({SqliteCheckpointer.WritesPerCheckpoint + i})");
            checkpointer.AfterWrite();
        }
        release.Set();
        await checkpointer.WhenIdleAsync();

        Assert.Equal(2, Volatile.Read(ref checkpoints));
        Assert.Equal(250, await RowsInTheDatabaseFileAsync(path));
    }

    /// <summary>immutable=1 reads the database file alone, ignoring the WAL: it sees what checkpoints copied.</summary>
    private static async Task<long> RowsInTheDatabaseFileAsync(string path)
    {
        await using var fileOnly = new SqliteConnection($"Data Source=file:{path}?immutable=1;Pooling=False");
        await fileOnly.OpenAsync();
        await using var count = fileOnly.CreateCommand();
        count.CommandText = "SELECT count(*) FROM t";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
