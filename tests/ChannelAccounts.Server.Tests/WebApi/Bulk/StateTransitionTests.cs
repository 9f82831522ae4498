using System.Net;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Bulk;

public abstract class StateTransitionTests(IBulkFixture server)
{
    private const string Account = "msdyn_ocwhatsappchannelaccount";

    private static string IsValidUrl(Guid id, string state, int status) =>
        $"IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@n)?@e={{'@odata.id':'{Accounts}({id})'}}&@s='{state}'&@n={status}";

    private async Task<bool> IsValidAsync(Guid id, string state, int status, HttpClient? client = null)
    {
        var body = await (client ?? server.Admin).GetJsonAsync(IsValidUrl(id, state, status));
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.IsValidStateTransitionResponse", body.GetProperty("@odata.context").GetString());
        return body.GetProperty("IsValid").GetBoolean();
    }

    private async Task<(int State, int Status)> StateAsync(Guid id)
    {
        var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=statecode,statuscode");
        return (record.GetProperty("statecode").GetInt32(), record.GetProperty("statuscode").GetInt32());
    }

    [Theory]
    [InlineData("Active", 0)]
    [InlineData("Inactive", 1)]
    [InlineData("active", 0)]
    [InlineData("1", 1)]
    public async Task IsValidStateTransition_agrees_with_what_SetState_by_patch_accepts(string stateName, int state)
    {
        foreach (var status in new[] { 1, 2, 3, 7 })
        {
            var id = await server.Admin.CreateAccountAsync("Transition " + stateName);
            var valid = await IsValidAsync(id, stateName, status);

            using var patch = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $$"""{"statecode":{{state}},"statuscode":{{status}}}""");

            Assert.True(valid == (patch.StatusCode == HttpStatusCode.NoContent),
                $"IsValid {valid} for ({stateName}, {status}) but PATCH answered {(int)patch.StatusCode} {await patch.Content.ReadAsStringAsync()}");
            Assert.Equal(valid, (state, status) is (0, 1) or (1, 2));
        }
    }

    [Fact]
    public async Task IsValidStateTransition_of_an_unknown_state_name_is_400_listing_the_states()
    {
        var id = await server.Admin.CreateAccountAsync("Unknown state");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, IsValidUrl(id, "Resolved", 2));

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'Resolved'", message);
        Assert.Contains("Active (0), Inactive (1)", message);
    }

    [Fact]
    public async Task IsValidStateTransition_of_a_missing_record_is_404()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, IsValidUrl(Guid.NewGuid(), "Inactive", 2));

        Assert.Equal("0x80040217", (await response.ErrorAsync(HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task IsValidStateTransition_needs_read_access_to_the_record()
    {
        var id = await server.Admin.CreateAccountAsync("Not yours", $"\"ownerid@odata.bind\":\"/systemusers({server.World.SupportColleague})\"");
        using var basic = server.ClientFor(server.World.UserAt[PrivilegeDepth.Basic]);

        using var response = await basic.SendAsync(HttpMethod.Get, IsValidUrl(id, "Inactive", 2));

        Assert.Equal("0x80048306", (await response.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task IsValidStateTransition_takes_inline_literals_too()
    {
        var id = await server.Admin.CreateAccountAsync("Inline");

        var body = await server.Admin.GetJsonAsync($"IsValidStateTransition(Entity=@e,NewState='Inactive',NewStatus=1)?@e={{'@odata.id':'{Accounts}({id})'}}");

        Assert.False(body.GetProperty("IsValid").GetBoolean());
    }

    [Fact]
    public async Task A_statuscode_alone_reactivates_an_inactive_record()
    {
        var id = await server.Admin.CreateAccountAsync("Reactivate");
        using var deactivate = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"statecode":1,"statuscode":2}""");
        Assert.Equal(HttpStatusCode.NoContent, deactivate.StatusCode);

        using var reactivate = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"statuscode":1}""");

        Assert.Equal(HttpStatusCode.NoContent, reactivate.StatusCode);
        Assert.Equal((0, 1), await StateAsync(id));
    }

    [Fact]
    public async Task A_statuscode_the_table_does_not_have_is_400_naming_it_and_keeps_the_state()
    {
        var id = await server.Admin.CreateAccountAsync("Unknown status");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"statuscode":7}""");

        Assert.Contains("7", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Equal((0, 1), await StateAsync(id));
    }

    [Fact]
    public async Task SetStateRequest_through_the_engine_takes_the_default_status_for_minus_one_and_refuses_a_mismatch()
    {
        var id = await server.Admin.CreateAccountAsync("Engine SetState");
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var admin = CallerIdentity.User(server.Organization.AdminUserId);
        var moniker = new EntityReference(Account, id);

        await engine.ExecuteAsync(new SetStateRequest { EntityMoniker = moniker, State = new OptionSetValue(1), Status = new OptionSetValue(-1) }, admin);
        Assert.Equal((1, 2), await StateAsync(id));

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() =>
            engine.ExecuteAsync(new SetStateRequest { EntityMoniker = moniker, State = new OptionSetValue(0), Status = new OptionSetValue(2) }, admin));
        Assert.Equal(unchecked((int)0x80048408), fault.ErrorCode);
        Assert.Equal((1, 2), await StateAsync(id));

        var check = (IsValidStateTransitionResponse)await engine.ExecuteAsync(
            new IsValidStateTransitionRequest { Entity = moniker, NewState = "Active", NewStatus = 1 }, admin);
        Assert.True(check.IsValid);
    }
}

public sealed class StateTransitionTestsOnSqlite(SqliteBulkFixture server) : StateTransitionTests(server), IClassFixture<SqliteBulkFixture>;

public sealed class StateTransitionTestsOnPostgres(PostgresBulkFixture server) : StateTransitionTests(server), IClassFixture<PostgresBulkFixture>;
