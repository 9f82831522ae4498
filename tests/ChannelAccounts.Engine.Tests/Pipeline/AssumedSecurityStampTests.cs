using System.Diagnostics;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Pipeline;

/// <summary>
/// A read may run on the security stamp its engine saw last and confirm it with its first query. Changes written by
/// anyone else (here: straight to the store, as another server would) must still apply to the very next message,
/// whether the message then succeeds, fails on a privilege, or runs no query at all.
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

    protected async Task<Guid> AddUserAsync(bool administrator)
    {
        var id = Guid.NewGuid();
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        await transaction.InsertAsync(Store.Catalog[MetadataCatalog.SystemUser], new StoredRow
        {
            ["systemuserid"] = id,
            ["domainname"] = $"stamp.{id:N}@example.test",
            ["fullname"] = "Stamp user",
            ["businessunitid"] = _organization.RootBusinessUnitId,
            ["isdisabled"] = false,
        });
        if (administrator)
        {
            await SecuritySeed.AssignRoleAsync(transaction, Store.Catalog, id, SecurityCatalog.SystemAdministratorRoleId, DateTime.UtcNow, default);
        }
        await transaction.CommitAsync();
        return id;
    }

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

        Assert.Equal(1, await CountRoundTripsAsync(() => RetrieveAsync(account, user)));
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
        Assert.True(await CountRoundTripsAsync(() => RetrieveAsync(account, user)) > 2);
        Assert.Equal(1, await CountRoundTripsAsync(() => RetrieveAsync(account, user)));
    }

    /// <summary>Npgsql's commands and batches (one activity each) under an activity of this test alone.</summary>
    private static async Task<int> CountRoundTripsAsync(Func<Task> work)
    {
        using var root = new Activity("round-trips").Start();
        var count = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.RootId == root.RootId)
                {
                    Interlocked.Increment(ref count);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await work();
        return count;
    }
}
