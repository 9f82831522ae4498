using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Storage.Sqlite;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>
/// Group commit on SQLite: writes queued behind a writer join its transaction, each in a savepoint of its own, and
/// one COMMIT makes them durable. A write's commit returns only once that COMMIT happened, and a failed write takes
/// only its own changes with it.
/// </summary>
public sealed class SqliteGroupCommitTests(SqliteStoreFixture fixture) : StoreTestBase(fixture), IClassFixture<SqliteStoreFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SqliteWriter Writer => ((SqliteDataStore)Store).Writer;

    private async Task UntilQueuedAsync(int writers)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (Writer.Queued < writers)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{writers} writers never queued.");
            await Task.Delay(5);
        }
    }

    private async Task<List<string?>> NamesAsync(string marker) =>
        (await QueryAsync(AccountQuery(marker, "msdyn_name"))).Rows.Select(r => r["msdyn_name"] as string).Order().ToList();

    private Task WriteAsync(string marker, string name, bool commit, Task? before = null) => Task.Run(async () =>
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        await transaction.InsertAsync(AccountTable, AccountRow(marker, name));
        if (before is not null)
        {
            await before;
        }
        if (commit)
        {
            await transaction.CommitAsync();
        }
    });

    [Fact]
    public async Task A_commit_returns_after_the_writes_queued_behind_it_and_then_both_are_visible()
    {
        var marker = NewMarker();
        var gate = new TaskCompletionSource();
        await using var first = await Store.BeginAsync(TransactionMode.Write);
        await first.InsertAsync(AccountTable, AccountRow(marker, "First"));
        var second = WriteAsync(marker, "Second", commit: true, before: gate.Task);
        await UntilQueuedAsync(1);

        // The second write joins the first one's transaction: the first commit waits for the group's COMMIT.
        var firstCommit = first.CommitAsync().AsTask();
        await Task.Delay(100);
        Assert.False(firstCommit.IsCompleted);
        Assert.Empty(await NamesAsync(marker));

        gate.SetResult();
        await firstCommit.WaitAsync(Patience);
        await second.WaitAsync(Patience);
        Assert.Equal(["First", "Second"], await NamesAsync(marker));
    }

    [Fact]
    public async Task A_write_that_fails_in_a_group_takes_only_its_own_rows_with_it()
    {
        var marker = NewMarker();
        await using var first = await Store.BeginAsync(TransactionMode.Write);
        await first.InsertAsync(AccountTable, AccountRow(marker, "First"));
        var rolledBack = WriteAsync(marker, "Rolled back", commit: false);
        var third = WriteAsync(marker, "Third", commit: true);
        await UntilQueuedAsync(2);

        await first.CommitAsync().AsTask().WaitAsync(Patience);
        await Task.WhenAll(rolledBack, third).WaitAsync(Patience);

        Assert.Equal(["First", "Third"], await NamesAsync(marker));
    }

    [Fact]
    public async Task A_writer_that_stops_waiting_leaves_the_others_able_to_commit()
    {
        var marker = NewMarker();
        await using var first = await Store.BeginAsync(TransactionMode.Write);
        await first.InsertAsync(AccountTable, AccountRow(marker, "First"));
        using var stop = new CancellationTokenSource();
        var abandoned = Task.Run(async () =>
        {
            await using var never = await Store.BeginAsync(TransactionMode.Write, stop.Token);
        });
        await UntilQueuedAsync(1);
        stop.Cancel();
        var deadline = DateTime.UtcNow + Patience;
        while (Writer.Queued > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The cancelled writer never left the queue.");
            await Task.Delay(5);
        }

        await first.CommitAsync().AsTask().WaitAsync(Patience);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(Patience));
        await WriteAsync(marker, "Later", commit: true).WaitAsync(Patience);

        Assert.Equal(["First", "Later"], await NamesAsync(marker));
    }
}
