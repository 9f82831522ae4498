using System.Net;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.WebApi.Batch;
using ChannelAccounts.Testing;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

/// <summary>
/// An upsert (PATCH to an id) that finds no record, then loses its insert to a create of the same id committed
/// meanwhile, updates that record, as Dataverse's upsert never reports a duplicate: also when it answers with its
/// record and inside a change set. The race is real: an open transaction of the same database creates the record
/// and commits only once the upsert waits on its key. An upsert racing a delete of its record creates it again.
/// </summary>
public sealed class UpsertRaceTestsOnPostgres(PostgresServerFixture server) : IClassFixture<PostgresServerFixture>
{
    private Task<HttpResponseMessage> WhileCreatedElsewhereAsync(Guid id, Func<Task<HttpResponseMessage>> upsert) =>
        // The upsert finds no record yet, and its insert waits on the uncommitted create's key.
        WhileElsewhereAsync(new CreateRequest
        {
            Target = new Entity(MetadataCatalog.WhatsAppAccount, id)
            {
                ["msdyn_name"] = "created elsewhere",
                ["msdyn_provideraccountid"] = $"AC{Guid.NewGuid():N}",
            },
        }, upsert);

    /// <summary>Runs the upsert while another transaction holds the message's write, and commits that once the upsert waits on it.</summary>
    private async Task<HttpResponseMessage> WhileElsewhereAsync(OrganizationRequest elsewhere, Func<Task<HttpResponseMessage>> upsert)
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        await using var other = await engine.BeginScopeAsync();
        await other.ExecuteAsync(elsewhere, CallerIdentity.User(server.Organization.AdminUserId));
        var running = upsert();
        await PostgresLockWaits.UntilOneWaitsAsync(server.ConnectionSpec);
        await other.CommitAsync();
        return await running;
    }

    [Fact]
    public async Task An_upsert_racing_a_delete_of_its_record_creates_it_again_rather_than_answering_404()
    {
        var id = await server.Admin.CreateAccountAsync("deleted meanwhile");

        using var response = await WhileElsewhereAsync(new DeleteRequest { Target = new EntityReference(MetadataCatalog.WhatsAppAccount, id) },
            () => server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"upserted after the delete"}"""));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode); // it was a 404: the update found the record deleted under it
        var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name");
        Assert.Equal("upserted after the delete", record.GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task An_upsert_answering_with_its_record_updates_the_record_created_meanwhile()
    {
        var id = Guid.NewGuid();

        using var response = await WhileCreatedElsewhereAsync(id, () => server.Admin.SendAsync(HttpMethod.Patch,
            $"{Accounts}({id})?$select=msdyn_name", """{"msdyn_name":"upserted"}""", ("Prefer", "return=representation")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // 200: updated, not 201 created
        Assert.Equal("upserted", (await response.JsonAsync()).GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task An_upsert_in_a_change_set_updates_the_record_created_meanwhile()
    {
        var id = Guid.NewGuid();
        var body = new BatchBody().ChangeSet(("PATCH", $"{Accounts}({id})", """{"msdyn_name":"upserted in a change set"}""", "1"));

        using var response = await WhileCreatedElsewhereAsync(id, () => server.Admin.SendAsync(body.ToRequest()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(204, Assert.Single(await BatchAnswer.PartsAsync(response)).Status);
        var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name");
        Assert.Equal("upserted in a change set", record.GetProperty("msdyn_name").GetString());
    }
}
