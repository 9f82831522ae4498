using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Pipeline;

/// <summary>
/// Work PostgreSQL ends to resolve a deadlock (or an upsert that loses its insert to a concurrent create) runs again
/// and succeeds, instead of failing the caller. Each test makes the conflict happen for real: another transaction of
/// the same engine holds a row the message needs, then takes one the message holds.
/// </summary>
public sealed class ConflictRetryPostgresTests(PostgresStoreFixture fixture) : IClassFixture<PostgresStoreFixture>, IAsyncLifetime
{
    private OrganizationEngine _engine = null!;
    private CallerIdentity _admin = null!;

    public async Task InitializeAsync()
    {
        var organization = await OrganizationSetup.EnsureAsync(fixture.Store);
        _engine = await OrganizationEngine.CreateAsync(fixture.Store);
        _admin = CallerIdentity.User(organization.AdminUserId);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_ExecuteTransaction_chosen_to_end_a_deadlock_runs_again_and_succeeds()
    {
        for (var round = 1; ; round++)
        {
            var (first, second) = (await CreateAsync("deadlock first"), await CreateAsync("deadlock second"));
            var transaction = new ExecuteTransactionRequest
            {
                Requests = [Rename(first, "by the transaction"), Rename(second, "by the transaction")],
            };

            var holder = await _engine.BeginScopeAsync();
            Task<OrganizationResponse> running;
            try
            {
                await holder.ExecuteAsync(Rename(second, "by the holder"), _admin);
                running = _engine.ExecuteAsync(transaction, _admin); // updates first, then waits for second
                await WaitForALockWaitAsync();
                await holder.ExecuteAsync(Rename(first, "by the holder"), _admin); // waits for first: a deadlock, which ends the transaction
                await holder.CommitAsync();
            }
            catch (OrganizationServiceFaultException fault) when (fault.ErrorCode == ErrorCodes.SqlError && round < 5)
            {
                // PostgreSQL ended the holder instead (on a busy machine its deadlock check can come first): try again.
                continue;
            }
            finally
            {
                await holder.DisposeAsync();
            }

            await running; // its second try ran after the holder committed
            Assert.Equal("by the transaction", await NameAsync(first));
            Assert.Equal("by the transaction", await NameAsync(second));
            return;
        }
    }

    [Fact]
    public async Task An_upsert_that_loses_its_insert_to_a_concurrent_create_updates_the_created_record()
    {
        var id = Guid.NewGuid();
        await using (var creator = await _engine.BeginScopeAsync())
        {
            await creator.ExecuteAsync(new CreateRequest { Target = Account(id, "created") }, _admin);
            var upsert = _engine.ExecuteAsync(new UpsertRequest { Target = Account(id, "upserted") }, _admin); // sees no record yet
            await WaitForALockWaitAsync(); // its insert waits on the uncommitted create's key
            await creator.CommitAsync();

            var response = (UpsertResponse)await upsert;
            Assert.False(response.RecordCreated);
        }

        Assert.Equal("upserted", await NameAsync(id));
    }

    private static Entity Account(Guid id, string name) => new(MetadataCatalog.WhatsAppAccount, id)
    {
        ["msdyn_name"] = name,
        ["msdyn_provideraccountid"] = $"AC{Guid.NewGuid():N}",
    };

    private async Task<Guid> CreateAsync(string name) =>
        ((CreateResponse)await _engine.ExecuteAsync(new CreateRequest { Target = Account(Guid.NewGuid(), name) }, _admin)).id;

    private static UpdateRequest Rename(Guid id, string name) =>
        new() { Target = new Entity(MetadataCatalog.WhatsAppAccount, id) { ["msdyn_name"] = name } };

    private async Task<string?> NameAsync(Guid id)
    {
        var response = (RetrieveResponse)await _engine.ExecuteAsync(new RetrieveRequest
        {
            Target = new EntityReference(MetadataCatalog.WhatsAppAccount, id),
            ColumnSet = new ColumnSet("msdyn_name"),
        }, _admin);
        return response.Entity.GetAttributeValue<string>("msdyn_name");
    }

    private Task WaitForALockWaitAsync() => PostgresLockWaits.UntilOneWaitsAsync(fixture.ConnectionSpec);
}
