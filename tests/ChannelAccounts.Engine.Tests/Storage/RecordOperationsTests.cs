using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

public abstract class RecordOperationsTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private static StoredRow EveryType(Guid id, string marker) => new()
    {
        [AccountId] = id,
        [Marker] = marker,
        ["msdyn_name"] = "Contoso ÄÖ ✓",
        ["importsequencenumber"] = 42,
        ["statecode"] = 1,
        ["statuscode"] = 2,
        ["ownerid"] = Guid.NewGuid(),
        ["owneridtype"] = 9,
        ["createdon"] = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        ["overriddencreatedon"] = null,
        ["versionnumber"] = 9_000_000_000L,
    };

    [Fact]
    public async Task A_record_reads_back_with_the_same_values_and_CLR_types()
    {
        var id = Guid.NewGuid();
        var row = EveryType(id, NewMarker());
        await InsertAsync(row);

        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        var read = await transaction.RetrieveAsync(AccountTable, id, row.Keys.ToList());

        Assert.NotNull(read);
        Assert.Equal(row.Count, read.Count);
        foreach (var (key, value) in row)
        {
            Assert.Equal(value, read[key]);
            Assert.Equal(value?.GetType(), read[key]?.GetType());
        }
        Assert.Equal(DateTimeKind.Utc, ((DateTime)read["createdon"]!).Kind);
    }

    [Fact]
    public async Task A_boolean_and_a_guid_column_round_trip()
    {
        var user = new StoredRow
        {
            ["systemuserid"] = Guid.NewGuid(),
            ["fullname"] = "Ada",
            ["isdisabled"] = true,
            ["azureactivedirectoryobjectid"] = Guid.NewGuid(),
        };
        await InsertAsync(MetadataCatalog.SystemUser, user);

        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        var read = await transaction.RetrieveAsync(MetadataCatalog.Default[MetadataCatalog.SystemUser], (Guid)user["systemuserid"]!, null);

        Assert.NotNull(read);
        Assert.Equal(true, read["isdisabled"]);
        Assert.Equal(user["azureactivedirectoryobjectid"], read["azureactivedirectoryobjectid"]);
        Assert.Null(read["lastname"]);
    }

    [Fact]
    public async Task Retrieve_returns_only_the_requested_columns()
    {
        var id = Guid.NewGuid();
        await InsertAsync(EveryType(id, NewMarker()));

        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        var read = await transaction.RetrieveAsync(AccountTable, id, ["msdyn_name", "statecode"]);

        Assert.Equal(["msdyn_name", "statecode"], read!.Keys.Order());
    }

    [Fact]
    public async Task Retrieve_of_a_missing_record_is_null()
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        Assert.Null(await transaction.RetrieveAsync(AccountTable, Guid.NewGuid(), null));
    }

    [Fact]
    public async Task Retrieve_of_an_unknown_column_is_an_AttributeNotFound_fault()
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(
            async () => await transaction.RetrieveAsync(AccountTable, Guid.NewGuid(), ["nosuchcolumn"]));
        Assert.Equal(ErrorCodes.QueryBuilderNoAttribute, fault.ErrorCode);
    }

    [Fact]
    public async Task Insert_with_an_existing_id_is_a_DuplicateRecord_fault()
    {
        var id = Guid.NewGuid();
        await InsertAsync(AccountRow(NewMarker(), "first", id));

        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(
            async () => await transaction.InsertAsync(AccountTable, AccountRow(NewMarker(), "second", id)));
        Assert.Equal(ErrorCodes.DuplicateRecord, fault.ErrorCode);

        // The transaction is still usable and the first record unchanged.
        Assert.Equal("first", (await transaction.RetrieveAsync(AccountTable, id, ["msdyn_name"]))!["msdyn_name"]);
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task Update_sets_only_the_given_columns()
    {
        var id = Guid.NewGuid();
        await InsertAsync(EveryType(id, NewMarker()));

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.True(await transaction.UpdateAsync(AccountTable, id, new StoredRow { ["msdyn_name"] = "Renamed", ["importsequencenumber"] = null }));
            await transaction.CommitAsync();
        }

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        var row = await read.RetrieveAsync(AccountTable, id, ["msdyn_name", "importsequencenumber", "statecode"]);
        Assert.Equal("Renamed", row!["msdyn_name"]);
        Assert.Null(row["importsequencenumber"]);
        Assert.Equal(1, row["statecode"]);
    }

    [Fact]
    public async Task Update_and_delete_of_a_missing_record_return_false()
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        Assert.False(await transaction.UpdateAsync(AccountTable, Guid.NewGuid(), new StoredRow { ["msdyn_name"] = "x" }));
        Assert.False(await transaction.UpdateAsync(AccountTable, Guid.NewGuid(), new StoredRow()));
        Assert.False(await transaction.DeleteAsync(AccountTable, Guid.NewGuid()));
    }

    [Fact]
    public async Task Delete_removes_the_record()
    {
        var id = Guid.NewGuid();
        await InsertAsync(AccountRow(NewMarker(), "doomed", id));

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.True(await transaction.DeleteAsync(AccountTable, id));
            await transaction.CommitAsync();
        }

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        Assert.Null(await read.RetrieveAsync(AccountTable, id, null));
    }

    [Fact]
    public async Task A_transaction_disposed_without_commit_rolls_back()
    {
        var id = Guid.NewGuid();
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.InsertAsync(AccountTable, AccountRow(NewMarker(), "never", id));
        }

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        Assert.Null(await read.RetrieveAsync(AccountTable, id, null));
    }

    [Fact]
    public async Task NextVersion_always_rises()
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        var first = await transaction.NextVersionAsync();
        var second = await transaction.NextVersionAsync();
        await transaction.CommitAsync();

        Assert.True(second > first);
    }

    [Fact]
    public async Task GetOrAddSetting_keeps_the_first_value()
    {
        var key = "key-" + Guid.NewGuid();
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        Assert.Null(await transaction.GetSettingAsync(key));
        Assert.Equal("first", await transaction.GetOrAddSettingAsync(key, "first"));
        Assert.Equal("first", await transaction.GetOrAddSettingAsync(key, "second"));
        Assert.Equal("first", await transaction.GetSettingAsync(key));
        await transaction.CommitAsync();
    }

    [Fact]
    public async Task Retrieve_returns_the_name_of_a_lookup_from_the_related_table()
    {
        var user = Guid.NewGuid();
        await InsertAsync(MetadataCatalog.SystemUser, new StoredRow { ["systemuserid"] = user, ["fullname"] = "Grace Hopper", ["yomifullname"] = "グレース" });
        var id = Guid.NewGuid();
        var row = AccountRow(NewMarker(), "named", id);
        row["createdby"] = user;
        row["ownerid"] = user;
        row["owneridtype"] = 8;
        await InsertAsync(row);

        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        var read = await transaction.RetrieveAsync(AccountTable, id, ["createdbyname", "createdbyyominame", "owneridname", "modifiedbyname"]);

        Assert.Equal("Grace Hopper", read!["createdbyname"]);
        Assert.Equal("グレース", read["createdbyyominame"]);
        Assert.Equal("Grace Hopper", read["owneridname"]);
        Assert.Null(read["modifiedbyname"]);
    }
}

public sealed class RecordOperationsSqliteTests(SqliteStoreFixture fixture)
    : RecordOperationsTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class RecordOperationsPostgresTests(PostgresStoreFixture fixture)
    : RecordOperationsTests(fixture), IClassFixture<PostgresStoreFixture>;
