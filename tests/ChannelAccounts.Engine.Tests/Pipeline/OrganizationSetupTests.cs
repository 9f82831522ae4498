using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Pipeline;

/// <summary>Servers starting together on one database: one organization, and the shipped security data put back once.</summary>
public abstract class OrganizationSetupTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private const int Servers = 6;

    [Fact]
    public async Task Servers_starting_together_create_one_organization_and_seed_security_once()
    {
        var infos = await Task.WhenAll(Enumerable.Range(0, Servers).Select(_ => Task.Run(() => OrganizationSetup.EnsureAsync(Store))));

        Assert.Single(infos.Select(i => i.OrganizationId).Distinct());
        Assert.Single(infos.Select(i => i.AdminUserId).Distinct());
        Assert.Equal(SecurityCatalog.RecordRights.Count(), await BasicUserPrivilegeCountAsync());
    }

    [Fact]
    public async Task Servers_upgrading_together_put_back_missing_security_rows_once()
    {
        await OrganizationSetup.EnsureAsync(Store);
        // An older database: the Basic User role lacks the privileges a newer version ships.
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            await transaction.DeleteWhereAsync(MetadataCatalog.Default[MetadataCatalog.RolePrivileges], "roleid", SecurityCatalog.BasicUserRoleId);
            await transaction.CommitAsync();
        }
        Assert.Equal(0, await BasicUserPrivilegeCountAsync());

        await Task.WhenAll(Enumerable.Range(0, Servers).Select(_ => Task.Run(() => OrganizationSetup.EnsureAsync(Store))));

        Assert.Equal(SecurityCatalog.RecordRights.Count(), await BasicUserPrivilegeCountAsync());
    }

    private async Task<int> BasicUserPrivilegeCountAsync()
    {
        var query = new QueryExpression(MetadataCatalog.RolePrivileges) { ColumnSet = new Sdk.ColumnSet("roleprivilegeid") };
        query.Criteria.AddCondition("roleid", ConditionOperator.Equal, SecurityCatalog.BasicUserRoleId);
        return (await QueryAsync(query)).Rows.Count;
    }
}

public sealed class OrganizationSetupSqliteTests(SqliteStoreFixture fixture)
    : OrganizationSetupTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class OrganizationSetupPostgresTests(PostgresStoreFixture fixture)
    : OrganizationSetupTests(fixture), IClassFixture<PostgresStoreFixture>;
