using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Pipeline;

/// <summary>
/// A message may run on the security stamp its engine saw last and confirm it with its first statement (a read's query,
/// a create's INSERT). Changes written by anyone else (here: straight to the store, as another server would) must still
/// apply to the very next message, whether the message then succeeds, fails on a privilege, or runs no query at all,
/// and a refused write leaves nothing behind.
/// </summary>
public abstract class AssumedSecurityStampTests(IStoreFixture fixture) : IAsyncLifetime
{
    protected OrganizationEngine Engine { get; private set; } = null!;

    private OrganizationInfo _organization = null!;
    private CallerIdentity _admin = null!;

    protected IDataStore Store => fixture.Store;

    public async Task InitializeAsync()
    {
        _organization = await OrganizationSetup.EnsureAsync(Store);
        Engine = await OrganizationEngine.CreateAsync(Store);
        _admin = CallerIdentity.User(_organization.AdminUserId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    protected async Task<Guid> CreateAccountAsync() =>
        ((CreateResponse)await Engine.ExecuteAsync(new CreateRequest
        {
            Target = new Entity(MetadataCatalog.WhatsAppAccount) { ["msdyn_name"] = "Stamp " + Guid.NewGuid().ToString("N")[..8] },
        }, _admin)).id;

    protected Task<Guid> AddUserAsync(bool administrator) => StorePrincipals.AddUserAsync(Store, _organization.RootBusinessUnitId, administrator);

    private async Task WriteAsync(Func<IStoreTransaction, ValueTask> write)
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        await write(transaction);
        await transaction.CommitAsync();
    }

    protected Task<OrganizationResponse> RetrieveAsync(Guid accountId, Guid userId) =>
        Engine.ExecuteAsync(new RetrieveRequest
        {
            Target = new EntityReference(MetadataCatalog.WhatsAppAccount, accountId),
            ColumnSet = new ColumnSet("msdyn_name"),
        }, CallerIdentity.User(userId));

    protected Task<OrganizationResponse> CreateAsUserAsync(Guid userId, string name) =>
        Engine.ExecuteAsync(new CreateRequest { Target = new Entity(MetadataCatalog.WhatsAppAccount) { ["msdyn_name"] = name } }, CallerIdentity.User(userId));

    private async Task<int> CountNamedAsync(string name)
    {
        var query = new QueryExpression(MetadataCatalog.WhatsAppAccount) { ColumnSet = new ColumnSet("msdyn_name") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.Equal, name);
        var response = (RetrieveMultipleResponse)await Engine.ExecuteAsync(new RetrieveMultipleRequest { Query = query }, _admin);
        return response.EntityCollection.Entities.Count;
    }

    [Fact]
    public async Task A_role_taken_away_elsewhere_refuses_the_next_create_of_a_caller_whose_rights_were_cached_and_writes_nothing()
    {
        var user = await AddUserAsync(administrator: true);
        await CreateAsUserAsync(user, "Before " + user);
        await CreateAsUserAsync(user, "Before " + user); // the caller and the profile are cached now

        await WriteAsync(async t => await t.DeleteWhereAsync(Store.Catalog[MetadataCatalog.SystemUserRoles], "systemuserid", user));

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => CreateAsUserAsync(user, "After " + user));
        Assert.Equal(ErrorCodes.PrivilegeDenied, fault.ErrorCode);
        Assert.Equal(0, await CountNamedAsync("After " + user));
        Assert.Equal(2, await CountNamedAsync("Before " + user));
    }

    [Fact]
    public async Task A_role_given_elsewhere_lets_the_next_create_through_although_the_cache_said_no()
    {
        var user = await AddUserAsync(administrator: false);
        for (var i = 0; i < 2; i++)
        {
            var denied = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => CreateAsUserAsync(user, "Denied " + user));
            Assert.Equal(ErrorCodes.PrivilegeDenied, denied.ErrorCode);
        }

        await WriteAsync(async t => await SecuritySeed.AssignRoleAsync(t, Store.Catalog, user, SecurityCatalog.SystemAdministratorRoleId, DateTime.UtcNow, default));

        await CreateAsUserAsync(user, "Allowed " + user);
        Assert.Equal(1, await CountNamedAsync("Allowed " + user));
    }

    [Fact]
    public async Task A_caller_disabled_elsewhere_is_refused_by_the_next_create_and_writes_nothing()
    {
        var user = await AddUserAsync(administrator: true);
        await CreateAsUserAsync(user, "Before " + user);
        await CreateAsUserAsync(user, "Before " + user);

        await WriteAsync(async t => await t.UpdateAsync(Store.Catalog[MetadataCatalog.SystemUser], user, new StoredRow { ["isdisabled"] = true }));

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => CreateAsUserAsync(user, "After " + user));
        Assert.Equal(ErrorCodes.Unauthorized, fault.ErrorCode);
        Assert.Equal(0, await CountNamedAsync("After " + user));
    }

    [Fact]
    public async Task A_role_taken_away_elsewhere_denies_the_next_read_of_a_caller_whose_rights_were_cached()
    {
        var account = await CreateAccountAsync();
        var user = await AddUserAsync(administrator: true);
        await RetrieveAsync(account, user);
        await RetrieveAsync(account, user); // the caller and the profile are cached now

        await WriteAsync(async t => await t.DeleteWhereAsync(Store.Catalog[MetadataCatalog.SystemUserRoles], "systemuserid", user));

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => RetrieveAsync(account, user));
        Assert.Equal(ErrorCodes.PrivilegeDenied, fault.ErrorCode);
    }

    [Fact]
    public async Task A_role_given_elsewhere_lets_the_next_read_through_although_the_cache_said_no()
    {
        var account = await CreateAccountAsync();
        var user = await AddUserAsync(administrator: false);
        for (var i = 0; i < 2; i++)
        {
            var denied = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => RetrieveAsync(account, user));
            Assert.Equal(ErrorCodes.PrivilegeDenied, denied.ErrorCode);
        }

        await WriteAsync(async t => await SecuritySeed.AssignRoleAsync(t, Store.Catalog, user, SecurityCatalog.SystemAdministratorRoleId, DateTime.UtcNow, default));

        var response = (RetrieveResponse)await RetrieveAsync(account, user);
        Assert.Equal(account, response.Entity.Id);
    }

    [Fact]
    public async Task A_caller_disabled_elsewhere_is_refused_by_the_next_message_even_one_that_runs_no_query()
    {
        var account = await CreateAccountAsync();
        var user = await AddUserAsync(administrator: true);
        await RetrieveAsync(account, user);
        await Engine.ExecuteAsync(new WhoAmIRequest(), CallerIdentity.User(user));

        await WriteAsync(async t => await t.UpdateAsync(Store.Catalog[MetadataCatalog.SystemUser], user, new StoredRow { ["isdisabled"] = true }));

        var whoAmI = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => Engine.ExecuteAsync(new WhoAmIRequest(), CallerIdentity.User(user)));
        Assert.Equal(ErrorCodes.Unauthorized, whoAmI.ErrorCode);
        var retrieve = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => RetrieveAsync(account, user));
        Assert.Equal(ErrorCodes.Unauthorized, retrieve.ErrorCode);
    }
}

public sealed class AssumedSecurityStampSqliteTests(SqliteStoreFixture fixture)
    : AssumedSecurityStampTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class AssumedSecurityStampPostgresTests(PostgresStoreFixture fixture)
    : AssumedSecurityStampTests(fixture), IClassFixture<PostgresStoreFixture>
{
    [Fact]
    public async Task A_read_by_a_caller_cached_under_the_current_stamp_takes_one_round_trip()
    {
        var account = await CreateAccountAsync();
        var user = await AddUserAsync(administrator: true);
        await RetrieveAsync(account, user);
        await RetrieveAsync(account, user);

        Assert.Equal(1, await NpgsqlRoundTrips.CountAsync(() => RetrieveAsync(account, user)));
    }

    [Fact]
    public async Task A_create_by_a_caller_cached_under_the_current_stamp_takes_at_most_two_round_trips()
    {
        var user = await AddUserAsync(administrator: true);
        await CreateAsUserAsync(user, "Warm " + user);
        await CreateAsUserAsync(user, "Warm " + user);

        // One batch (stamp, the caller's row locked, the INSERT drawing its version number), then COMMIT.
        // Npgsql traces no activity for COMMIT, so one here is the batch alone, and the COMMIT the second round trip.
        Assert.Equal(1, await NpgsqlRoundTrips.CountAsync(() => CreateAsUserAsync(user, "Counted " + user)));
    }

    [Fact]
    public async Task An_update_by_a_caller_cached_under_the_current_stamp_takes_two_round_trips_and_its_commit()
    {
        var user = await AddUserAsync(administrator: true);
        var account = (CreateResponse)await CreateAsUserAsync(user, "Updated " + user);
        await UpdateAsUserAsync(user, account.id, "Warm");
        var before = await VersionAsync(account.id);

        // The record read for update in the stamp's batch, then the UPDATE drawing its version number, then COMMIT.
        Assert.Equal(2, await NpgsqlRoundTrips.CountAsync(() => UpdateAsUserAsync(user, account.id, "Counted")));
        Assert.True(await VersionAsync(account.id) > before, "the update draws a newer version number");
    }

    private Task UpdateAsUserAsync(Guid user, Guid id, string name) =>
        Engine.ExecuteAsync(new UpdateRequest { Target = new Entity(MetadataCatalog.WhatsAppAccount, id) { ["msdyn_name"] = name } }, CallerIdentity.User(user));

    private async Task<long> VersionAsync(Guid id)
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        return (long)(await transaction.RetrieveAsync(Store.Catalog[MetadataCatalog.WhatsAppAccount], id, ["versionnumber"]))!["versionnumber"]!;
    }

    [Fact]
    public async Task A_read_after_a_security_change_reads_the_stamp_first_again()
    {
        var account = await CreateAccountAsync();
        var user = await AddUserAsync(administrator: true);
        await RetrieveAsync(account, user);
        await AddUserAsync(administrator: false); // changes the stamp

        // The assumed stamp is refuted by the query's own round trip, and the message runs again: stamp, caller,
        // roles, then the query; the one after it is back to a single round trip.
        Assert.True(await NpgsqlRoundTrips.CountAsync(() => RetrieveAsync(account, user)) > 2);
        Assert.Equal(1, await NpgsqlRoundTrips.CountAsync(() => RetrieveAsync(account, user)));
    }
}
