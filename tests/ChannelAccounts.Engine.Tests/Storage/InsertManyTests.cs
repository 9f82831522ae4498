using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

public abstract class InsertManyTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
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
        var perStatement = ((SqlDataStore)Store).Dialect.RowsPerInsert(3);
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
    public async Task Every_column_type_and_NULLs_between_values_arrive_as_given()
    {
        var marker = NewMarker();
        var columns = AccountTable.StoredAttributes.Where(a => a.LogicalName is not AccountId and not Marker).ToList();
        StoredRow Row(int n, bool nulls)
        {
            var row = AccountRow(marker, "typed " + n);
            foreach (var column in columns.Where(c => c.LogicalName != "msdyn_name"))
            {
                row[column.LogicalName] = nulls ? null : column.AttributeType switch
                {
                    AttributeTypeCode.Uniqueidentifier or AttributeTypeCode.Lookup or AttributeTypeCode.Owner => Guid.NewGuid(),
                    AttributeTypeCode.BigInt => 1_000_000_000_000L + n,
                    AttributeTypeCode.Boolean => n % 2 == 0,
                    AttributeTypeCode.DateTime => Now.AddDays(n),
                    AttributeTypeCode.String or AttributeTypeCode.Memo => $"{column.LogicalName} {n} é'\"",
                    _ => n,
                };
            }
            return row;
        }
        var rows = new List<StoredRow> { Row(1, nulls: false), Row(2, nulls: true), Row(3, nulls: false) };

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.InsertManyAsync(AccountTable, rows);
            await transaction.CommitAsync();
        }

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        foreach (var row in rows)
        {
            var stored = await read.RetrieveAsync(AccountTable, (Guid)row[AccountId]!, null);
            Assert.NotNull(stored);
            foreach (var (name, value) in row)
            {
                Assert.Equal(value, stored[name]);
            }
        }
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
