using System.Net;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Testing;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Batch;

/// <summary>
/// A change set PostgreSQL ends to resolve a deadlock runs again, all of it, and answers as if nothing had happened.
/// The deadlock is real: another transaction on the same database holds the second record the change set updates,
/// then updates the first one, which the change set holds.
/// </summary>
public sealed class BatchConflictRetryTestsOnPostgres(PostgresServerFixture server) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task A_change_set_chosen_to_end_a_deadlock_runs_again_and_commits()
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var admin = CallerIdentity.User(server.Organization.AdminUserId);
        for (var round = 1; ; round++)
        {
            var first = await server.Admin.CreateAccountAsync("Deadlock first");
            var second = await server.Admin.CreateAccountAsync("Deadlock second");
            var body = new BatchBody().ChangeSet(
                ("PATCH", $"{Accounts}({first})", """{"msdyn_name":"by the change set"}""", "1"),
                ("PATCH", $"{Accounts}({second})", """{"msdyn_name":"by the change set"}""", "2"));

            var holder = await engine.BeginScopeAsync();
            Task<HttpResponseMessage> running;
            try
            {
                await holder.ExecuteAsync(Rename(second, "by the holder"), admin);
                running = server.Admin.SendAsync(body.ToRequest()); // updates first, then waits for second
                await PostgresLockWaits.UntilOneWaitsAsync(server.ConnectionSpec);
                await holder.ExecuteAsync(Rename(first, "by the holder"), admin); // a deadlock, which ends the change set's transaction
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

            using var response = await running;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.All(await BatchAnswer.PartsAsync(response), part => Assert.Equal(204, part.Status));
            foreach (var id in new[] { first, second })
            {
                var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name");
                Assert.Equal("by the change set", record.GetProperty("msdyn_name").GetString());
            }

            return;
        }
    }

    private static UpdateRequest Rename(Guid id, string name) =>
        new() { Target = new Entity(MetadataCatalog.WhatsAppAccount, id) { ["msdyn_name"] = name } };
}
