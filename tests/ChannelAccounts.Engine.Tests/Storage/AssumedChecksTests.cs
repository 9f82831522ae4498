using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>
/// Facts a transaction takes from the engine's cache (the security stamp, an owner's business unit) are checked by
/// the database in the round trip of the next statement, or alone at commit; a fact found stale fails the transaction
/// before anything it wrote is kept. And records inserted and updated with their version number drawn in the same
/// statement.
/// </summary>
public abstract class AssumedChecksTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    protected static EntityDefinition Users => MetadataCatalog.Default[MetadataCatalog.SystemUser];

    protected async Task<StoredRow?> RetrieveAsync(EntityDefinition entity, Guid id)
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        return await transaction.RetrieveAsync(entity, id, null);
    }

    protected async Task<long> StampAsync()
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        return (await transaction.SecurityStampAsync())!.Value;
    }

    protected Task<Guid> AddUserAsync(Guid unit) => StorePrincipals.AddUserAsync(Store, unit, administrator: false);

    [Fact]
    public async Task A_numbered_insert_gives_the_row_the_next_version_and_a_repeated_id_is_a_DuplicateRecord_fault()
    {
        var row = AccountRow(NewMarker(), "Numbered");
        long first;
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            first = await transaction.InsertNumberedAsync(AccountTable, row);
            await transaction.CommitAsync();
        }

        Assert.Equal(first, row["versionnumber"]);
        Assert.Equal(first, (await RetrieveAsync(AccountTable, (Guid)row[AccountId]!))!["versionnumber"]);
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.True(await transaction.InsertNumberedAsync(AccountTable, AccountRow(NewMarker(), "Next")) > first);
            var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() =>
                transaction.InsertNumberedAsync(AccountTable, AccountRow(NewMarker(), "Again", (Guid)row[AccountId]!)).AsTask());
            Assert.Equal(ErrorCodes.DuplicateRecord, fault.ErrorCode);
        }
        Assert.Equal("Numbered", (await RetrieveAsync(AccountTable, (Guid)row[AccountId]!))!["msdyn_name"]);
    }

    [Fact]
    public async Task A_numbered_update_gives_the_record_the_next_version_and_finds_no_missing_record()
    {
        var row = AccountRow(NewMarker(), "Before");
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        var created = await transaction.InsertNumberedAsync(AccountTable, row);
        var changes = new StoredRow { ["msdyn_name"] = "After" };

        Assert.True(await transaction.UpdateNumberedAsync(AccountTable, (Guid)row[AccountId]!, changes));
        Assert.True((long)changes["versionnumber"]! > created);
        Assert.False(await transaction.UpdateNumberedAsync(AccountTable, Guid.NewGuid(), new StoredRow { ["msdyn_name"] = "Nobody" }));
        await transaction.CommitAsync();
        Assert.Equal(changes["versionnumber"], (await RetrieveAsync(AccountTable, (Guid)row[AccountId]!))!["versionnumber"]);
    }
}

public sealed class AssumedChecksSqliteTests(SqliteStoreFixture fixture) : AssumedChecksTests(fixture), IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task A_write_on_SQLite_reads_every_fact_instead_of_assuming_it()
    {
        var user = await AddUserAsync(Guid.NewGuid());
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);

        Assert.False(transaction.TryAssumeSecurityStamp(await StampAsync()));
        Assert.False(transaction.TryAssumeBusinessUnit(Users, user, Guid.NewGuid()));
    }
}

public sealed class AssumedChecksPostgresTests(PostgresStoreFixture fixture) : AssumedChecksTests(fixture), IClassFixture<PostgresStoreFixture>
{
    [Fact]
    public async Task A_stamp_that_moved_is_found_out_by_the_insert_it_rode_with_and_nothing_is_kept()
    {
        var row = AccountRow(NewMarker(), "Stale stamp");
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.True(transaction.TryAssumeSecurityStamp(await StampAsync() + 1));
            await Assert.ThrowsAsync<SecurityStampChangedException>(() => transaction.InsertNumberedAsync(AccountTable, row).AsTask());
        }

        Assert.Null(await RetrieveAsync(AccountTable, (Guid)row[AccountId]!));
    }

    [Fact]
    public async Task A_moved_stamp_is_what_fails_even_when_the_statement_it_rode_with_failed_too()
    {
        var messages = MetadataCatalog.Default[MetadataCatalog.WhatsAppMessage];
        var account = Guid.NewGuid();
        StoredRow Message() => new()
        {
            ["ca_whatsappmessageid"] = Guid.NewGuid(),
            ["ca_messagesid"] = "SM-twice",
            ["ca_whatsappaccountid"] = account,
            ["createdon"] = Now,
            ["modifiedon"] = Now,
        };
        await InsertAsync(MetadataCatalog.WhatsAppMessage, Message());

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.True(transaction.TryAssumeSecurityStamp(await StampAsync() + 1));
            // The second row repeats the (account, MessageSid) key: a unique violation behind the stale stamp.
            await Assert.ThrowsAsync<SecurityStampChangedException>(() => transaction.InsertAsync(messages, Message()).AsTask());
        }

        await InsertAsync(AccountRow(NewMarker(), "The store goes on"));
    }

    [Fact]
    public async Task An_owner_in_another_unit_than_assumed_fails_the_commit_and_nothing_is_kept()
    {
        var user = await AddUserAsync(Guid.NewGuid());
        var row = AccountRow(NewMarker(), "Stale unit");
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.InsertAsync(AccountTable, row);
            Assert.True(transaction.TryAssumeBusinessUnit(Users, user, Guid.NewGuid()));
            await Assert.ThrowsAsync<BusinessUnitMovedException>(() => transaction.CommitAsync().AsTask());
        }

        Assert.Null(await RetrieveAsync(AccountTable, (Guid)row[AccountId]!));
    }

    [Fact]
    public async Task An_owner_whose_unit_is_confirmed_stays_locked_against_a_move_until_commit()
    {
        var unit = Guid.NewGuid();
        var user = await AddUserAsync(unit);
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        Assert.True(transaction.TryAssumeBusinessUnit(Users, user, unit));
        await transaction.InsertNumberedAsync(AccountTable, AccountRow(NewMarker(), "Confirmed unit"));

        // A move reads its principal for update first: it waits for this transaction.
        var move = Task.Run(async () =>
        {
            await using var mover = await Store.BeginAsync(TransactionMode.Write);
            await mover.RetrieveForUpdateAsync(Users, user, ["businessunitid"]);
            await mover.CommitAsync();
        });
        await PostgresLockWaits.UntilOneWaitsAsync(fixture.ConnectionSpec);
        Assert.False(move.IsCompleted);

        await transaction.CommitAsync();
        await move;
    }
}
