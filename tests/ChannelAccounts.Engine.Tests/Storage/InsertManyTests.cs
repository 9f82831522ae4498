using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

public abstract class InsertManyTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private int MaxParameters => ((SqlDataStore)Store).Dialect.InsertParameters;

    [Fact]
    public void A_statement_carries_as_many_rows_as_the_parameter_limit_allows()
    {
        Assert.Equal(936, RecordStatements.RowsPerInsert(35, 32766));
        Assert.Equal(1872, RecordStatements.RowsPerInsert(35, 65535));
        Assert.Equal(1, RecordStatements.RowsPerInsert(40000, 32766));
    }

    [Fact]
    public async Task Rows_of_one_column_set_take_one_statement_per_chunk_and_all_arrive()
    {
        var marker = NewMarker();
        var perStatement = RecordStatements.RowsPerInsert(3, MaxParameters);
        var rows = Enumerable.Range(0, perStatement + 1).Select(i => AccountRow(marker, "n" + i)).ToList();

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.InsertManyAsync(AccountTable, rows);
            Assert.Equal(2, ((SqlStoreTransaction)transaction).InsertManyStatements);
            await transaction.CommitAsync();
        }

        Assert.Equal(rows.Count, (await AllPagesAsync(AccountQuery(marker, AccountId))).Count);
    }

    [Fact]
    public async Task Rows_of_different_column_sets_are_grouped_and_keep_their_values()
    {
        var marker = NewMarker();
        var plain = AccountRow(marker, "plain");
        var withState = AccountRow(marker, "inactive");
        withState["statecode"] = 1;

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.InsertManyAsync(AccountTable, [plain, withState, AccountRow(marker, "plain 2")]);
            Assert.Equal(2, ((SqlStoreTransaction)transaction).InsertManyStatements);
            await transaction.CommitAsync();
        }

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        var stored = await read.RetrieveAsync(AccountTable, (Guid)withState[AccountId]!, ["msdyn_name", "statecode"]);
        Assert.Equal("inactive", stored!["msdyn_name"]);
        Assert.Equal(1, stored["statecode"]);
    }

    [Fact]
    public async Task An_existing_id_among_the_rows_is_a_DuplicateRecord_fault()
    {
        var marker = NewMarker();
        var existing = AccountRow(marker, "first");
        await InsertAsync(existing);

        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(async () =>
            await transaction.InsertManyAsync(AccountTable, [AccountRow(marker, "new"), AccountRow(marker, "again", (Guid)existing[AccountId]!)]));

        Assert.Equal(ErrorCodes.DuplicateRecord, fault.ErrorCode);
    }

    [Fact]
    public async Task Reserved_version_numbers_are_distinct_ascending_and_above_the_last_one()
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        var before = await transaction.NextVersionAsync();

        var versions = await transaction.NextVersionsAsync(500);

        Assert.Equal(500, versions.Distinct().Count());
        Assert.Equal(versions.Order(), versions);
        Assert.True(versions[0] > before);
        Assert.True(await transaction.NextVersionAsync() > versions[^1]);
    }
}

public sealed class InsertManySqliteTests(SqliteStoreFixture fixture) : InsertManyTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class InsertManyPostgresTests(PostgresStoreFixture fixture) : InsertManyTests(fixture), IClassFixture<PostgresStoreFixture>;
