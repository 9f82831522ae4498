using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>The security stamp that keys the profile cache: every write to a security table changes it, nothing else does.</summary>
public abstract class SecurityStampTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private static StoredRow Membership() => new()
    {
        ["teammembershipid"] = Guid.NewGuid(),
        ["teamid"] = Guid.NewGuid(),
        ["systemuserid"] = Guid.NewGuid(),
    };

    private async Task<long> StampAsync()
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        return (await transaction.SecurityStampAsync())!.Value;
    }

    [Fact]
    public async Task A_write_to_a_security_table_changes_the_stamp_and_an_account_write_does_not()
    {
        var before = await StampAsync();
        await InsertAsync(AccountRow(NewMarker(), "Not security"));
        Assert.Equal(before, await StampAsync());

        var membership = Membership();
        await InsertAsync(MetadataCatalog.TeamMembership, membership);
        var afterInsert = await StampAsync();
        Assert.NotEqual(before, afterInsert);

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.DeleteWhereAsync(MetadataCatalog.Default[MetadataCatalog.TeamMembership], "systemuserid", membership["systemuserid"]!);
            await transaction.CommitAsync();
        }
        Assert.NotEqual(afterInsert, await StampAsync());
    }

    [Fact]
    public async Task A_transaction_that_changed_security_data_reads_no_stamp_and_a_rollback_keeps_the_old_one()
    {
        var before = await StampAsync();
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.Equal(before, await transaction.SecurityStampAsync());
            await transaction.InsertAsync(MetadataCatalog.Default[MetadataCatalog.TeamMembership], Membership());
            // Its own uncommitted view must neither use nor fill a cache.
            Assert.Null(await transaction.SecurityStampAsync());
        }

        Assert.Equal(before, await StampAsync());
    }

    [Fact]
    public async Task A_read_that_reads_the_stamp_sees_the_stamp_rights_and_data_of_one_moment_while_writes_commit()
    {
        var id = Guid.NewGuid();
        await InsertAsync(AccountRow(NewMarker(), "Before", id));

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        var stamp = await read.SecurityStampAsync();
        // Another server changes security data and the record after this message read the stamp.
        var membership = Membership();
        await InsertAsync(MetadataCatalog.TeamMembership, membership);
        await using (var write = await Store.BeginAsync(TransactionMode.Write))
        {
            await write.UpdateAsync(AccountTable, id, new StoredRow { ["msdyn_name"] = "After" });
            await write.CommitAsync();
        }

        // Rights loaded from here on and the data are those of the stamp's moment, not a mix of two.
        Assert.Equal(stamp, await read.SecurityStampAsync());
        var memberships = new QueryExpression(MetadataCatalog.TeamMembership) { ColumnSet = new Sdk.ColumnSet("teamid") };
        memberships.Criteria.AddCondition("systemuserid", ConditionOperator.Equal, membership["systemuserid"]);
        Assert.Empty((await read.QueryAsync(memberships, Context)).Rows);
        Assert.Equal("Before", (await read.QueryAsync(ById(id), Context)).Rows.Single()["msdyn_name"]);
        await read.CommitAsync();

        await using var later = await Store.BeginAsync(TransactionMode.Read);
        Assert.NotEqual(stamp, await later.SecurityStampAsync());
        Assert.Single((await later.QueryAsync(memberships, Context)).Rows);
        Assert.Equal("After", (await later.QueryAsync(ById(id), Context)).Rows.Single()["msdyn_name"]);
    }
}

public sealed class SecurityStampSqliteTests(SqliteStoreFixture fixture)
    : SecurityStampTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class SecurityStampPostgresTests(PostgresStoreFixture fixture)
    : SecurityStampTests(fixture), IClassFixture<PostgresStoreFixture>;
