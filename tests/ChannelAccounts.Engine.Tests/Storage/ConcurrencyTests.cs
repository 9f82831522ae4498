using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

public abstract class ConcurrencyTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    [Fact]
    public async Task Parallel_writers_and_readers_all_succeed()
    {
        var marker = NewMarker();
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await using var transaction = await Store.BeginAsync(TransactionMode.Write);
                await transaction.InsertAsync(AccountTable, AccountRow(marker, $"w{w}-{i}"));
                await transaction.NextVersionAsync();
                await transaction.CommitAsync();
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await QueryAsync(AccountQuery(marker, "msdyn_name"));
            }
        }));

        await Task.WhenAll(writers.Concat(readers)).WaitAsync(TimeSpan.FromMinutes(2));

        var query = AccountQuery(marker);
        query.PageInfo.ReturnTotalRecordCount = true;
        Assert.Equal(400, (await QueryAsync(query)).TotalRecordCount);
    }

    [Fact]
    public async Task Concurrent_GetOrAddSetting_agree_on_one_value()
    {
        var key = "race-" + Guid.NewGuid();
        var values = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            await using var transaction = await Store.BeginAsync(TransactionMode.Write);
            var value = await transaction.GetOrAddSettingAsync(key, "v" + i);
            await transaction.CommitAsync();
            return value;
        })));

        Assert.Single(values.Distinct());
    }
}

public sealed class ConcurrencySqliteTests(SqliteStoreFixture fixture)
    : ConcurrencyTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class ConcurrencyPostgresTests(PostgresStoreFixture fixture)
    : ConcurrencyTests(fixture), IClassFixture<PostgresStoreFixture>;
