using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.Tests.Infrastructure;

namespace ChannelAccounts.Server.Tests.WebApi.Batch;

public abstract class ExecuteTransactionTests(IServerFixture server)
{
    [Fact]
    public async Task ExecuteTransaction_commits_every_request_and_returns_their_responses()
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var prefix = Prefix();

        var response = (ExecuteTransactionResponse)await engine.ExecuteAsync(new ExecuteTransactionRequest
        {
            Requests = [Create(prefix + "1"), Create(prefix + "2")],
            ReturnResponses = true,
        }, Admin);

        Assert.Equal(2, response.Responses.Count);
        Assert.All(response.Responses, r => Assert.NotEqual(Guid.Empty, ((CreateResponse)r).id));
        Assert.Equal(2, await CountAsync(engine, prefix));
    }

    [Fact]
    public async Task ExecuteTransaction_rolls_back_all_on_a_fault_and_names_the_failed_request()
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var prefix = Prefix();

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => engine.ExecuteAsync(new ExecuteTransactionRequest
        {
            Requests = [Create(prefix + "1"), Create(prefix + new string('x', 101)), Create(prefix + "3")],
        }, Admin));

        Assert.Equal(1, fault.Detail.FaultedRequestIndex);
        Assert.Equal(unchecked((int)0x80044331), fault.ErrorCode);
        Assert.Equal(0, await CountAsync(engine, prefix));
    }

    [Fact]
    public async Task A_transaction_scope_disposed_without_commit_keeps_nothing()
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var prefix = Prefix();

        await using (var scope = await engine.BeginScopeAsync())
        {
            await scope.ExecuteAsync(Create(prefix + "1"), Admin);
            await scope.ExecuteAsync(Create(prefix + "2"), Admin);
        }

        Assert.Equal(0, await CountAsync(engine, prefix));
    }

    [Fact]
    public async Task BulkDelete_inside_ExecuteTransaction_is_refused_and_rolls_back_the_requests_before_it()
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var prefix = Prefix();
        var query = new QueryExpression("msdyn_ocwhatsappchannelaccount");
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, prefix);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => engine.ExecuteAsync(new ExecuteTransactionRequest
        {
            Requests = [Create(prefix + "1"), new BulkDeleteRequest { JobName = "in a transaction", QuerySet = [query] }],
        }, Admin));

        Assert.Equal(1, fault.Detail.FaultedRequestIndex);
        Assert.Contains("BulkDelete cannot run inside", fault.Message);
        Assert.Equal(0, await CountAsync(engine, prefix));
    }

    private CallerIdentity Admin => CallerIdentity.User(server.Organization.AdminUserId);

    private static string Prefix() => $"T{Guid.NewGuid():N}"[..12];

    private static CreateRequest Create(string name) =>
        new() { Target = new Entity("msdyn_ocwhatsappchannelaccount") { ["msdyn_name"] = name } };

    private async Task<int> CountAsync(OrganizationEngine engine, string prefix)
    {
        var query = new QueryExpression("msdyn_ocwhatsappchannelaccount") { ColumnSet = new ColumnSet("msdyn_name") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, prefix);
        var response = (RetrieveMultipleResponse)await engine.ExecuteAsync(new RetrieveMultipleRequest { Query = query }, Admin);
        return response.EntityCollection.Entities.Count;
    }
}

public sealed class ExecuteTransactionTestsOnSqlite(SqliteServerFixture server) : ExecuteTransactionTests(server), IClassFixture<SqliteServerFixture>;

public sealed class ExecuteTransactionTestsOnPostgres(PostgresServerFixture server) : ExecuteTransactionTests(server), IClassFixture<PostgresServerFixture>;
