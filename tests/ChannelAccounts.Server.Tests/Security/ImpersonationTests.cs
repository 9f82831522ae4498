using System.Net;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

public abstract class ImpersonationTests(IServerFixture server, SecurityWorld world)
{
    [Fact]
    public async Task An_administrator_acts_as_another_user_by_MSCRMCallerID()
    {
        var user = world.SalesColleague;

        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts, """{"msdyn_name":"On behalf"}""", ("MSCRMCallerID", user.ToString()));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var id = IdFromEntityUri(response.Header("OData-EntityId")!);
        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=_createdby_value,_createdonbehalfby_value,_ownerid_value,_modifiedonbehalfby_value");
        Assert.Equal(user, body.GetProperty("_createdby_value").GetGuid());
        Assert.Equal(user, body.GetProperty("_ownerid_value").GetGuid());
        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("_createdonbehalfby_value").GetGuid());
        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("_modifiedonbehalfby_value").GetGuid());
    }

    [Fact]
    public async Task CallerObjectId_names_the_user_by_its_Entra_object_id()
    {
        var objectId = Guid.NewGuid();
        var user = await Principals.AddUserAsync(server.Store, "Ozzy", "Objectid", world.Sales);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        await Principals.SetObjectIdAsync(server.Store, user, objectId);

        var body = await server.Admin.GetJsonAsync("WhoAmI", ("CallerObjectId", objectId.ToString()));

        Assert.Equal(user, body.GetProperty("UserId").GetGuid());
    }

    [Fact]
    public async Task The_impersonated_users_rights_apply()
    {
        var hidden = await server.Admin.CreateAccountAsync("Not for Sam", $"\"ownerid@odata.bind\":\"/systemusers({world.SupportColleague})\"");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({hidden})", null, ("MSCRMCallerID", world.SalesColleague.ToString()));

        Assert.Equal("0x80048306", (await response.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task A_caller_without_prvActOnBehalfOfAnotherUser_cannot_impersonate()
    {
        using var client = server.ClientFor(world.UserAt[Sdk.PrivilegeDepth.Global]);

        using var response = await client.SendAsync(HttpMethod.Get, "WhoAmI", null, ("MSCRMCallerID", server.Organization.AdminUserId.ToString()));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("prvActOnBehalfOfAnotherUser", message);
    }

    [Fact]
    public async Task A_caller_without_prvActOnBehalfOfAnotherUser_learns_nothing_of_the_user_it_names()
    {
        using var client = server.ClientFor(world.UserAt[Sdk.PrivilegeDepth.Global]);
        var disabled = await Principals.AddUserAsync(server.Store, "Dora", "Disabled", world.Sales, disabled: true);

        foreach (var (header, named) in new[] { ("MSCRMCallerID", Guid.NewGuid()), ("MSCRMCallerID", disabled), ("CallerObjectId", Guid.NewGuid()) })
        {
            using var response = await client.SendAsync(HttpMethod.Get, "WhoAmI", null, (header, named.ToString()));

            // The same refusal as for an enabled user: not 401 "does not exist" or "is disabled", which told the caller about that user.
            var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
            Assert.Equal("0x80040220", code);
            Assert.Contains("prvActOnBehalfOfAnotherUser", message);
        }
    }

    [Fact]
    public async Task An_unknown_CallerObjectId_is_404_to_a_caller_who_may_impersonate()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "WhoAmI", null, ("CallerObjectId", Guid.NewGuid().ToString()));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
        Assert.Contains("azureactivedirectoryobjectid", message);
    }

    /// <summary>A user (in Sales) who may impersonate, through a role of its own, and holds only Basic read of accounts.</summary>
    private async Task<Guid> DelegateWithBasicReadAsync()
    {
        var user = await Principals.AddUserAsync(server.Store, "Della", "Delegate" + Guid.NewGuid().ToString("N")[..6], world.Sales);
        var role = await Principals.AddRoleAsync(server.Store, "Delegate reader " + user, world.Sales, Sdk.PrivilegeDepth.Basic, Sdk.AccessRights.ReadAccess);
        await Principals.AddRolePrivilegeAsync(server.Store, role, SecurityCatalog.Privilege(SecurityCatalog.ActOnBehalfOfAnotherUser).Id, Sdk.PrivilegeDepth.Global);
        await Principals.AssignRoleAsync(server.Store, user, role);
        return user;
    }

    [Fact]
    public async Task An_impersonator_gets_only_the_rights_both_users_hold()
    {
        var impersonator = await DelegateWithBasicReadAsync();
        using var client = server.ClientFor(impersonator);
        var admin = ("MSCRMCallerID", server.Organization.AdminUserId.ToString());
        var account = await server.Admin.CreateAccountAsync("Both must hold it");

        // Read: both hold it, and the record is the administrator's own, so the read passes (ownership is the impersonated user's).
        using var read = await client.SendAsync(HttpMethod.Get, $"{Accounts}({account})?$select=msdyn_name,msdyn_authenticationtoken", null, admin);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        // Column access: only the administrator has it, so the secret stays hidden.
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await read.JsonAsync()).GetProperty("msdyn_authenticationtoken").ValueKind);

        // Write: the impersonator holds no Write privilege, so the administrator's does not count.
        using var write = await client.SendAsync(HttpMethod.Patch, $"{Accounts}({account})", """{"msdyn_name":"changed by a delegate"}""", admin);
        Assert.Equal("0x80040220", (await write.ErrorAsync(HttpStatusCode.Forbidden)).Code);
        Assert.Equal("Both must hold it", (await server.Admin.GetJsonAsync($"{Accounts}({account})?$select=msdyn_name")).GetProperty("msdyn_name").GetString());

        // Principal management needs the administrator's standing from both users.
        using var grant = await client.SendAsync(HttpMethod.Post, $"systemusers({impersonator})/systemuserroles_association/$ref",
            $$"""{"@odata.id":"roles({{SecurityCatalog.SystemAdministratorRoleId}})"}""", admin);
        await grant.ErrorAsync(HttpStatusCode.Forbidden);
        using var asThemselves = await client.SendAsync(HttpMethod.Get, $"{Accounts}({account})");
        Assert.Equal(HttpStatusCode.Forbidden, asThemselves.StatusCode); // the role was not given: still Basic read only
    }

    [Fact]
    public async Task An_impersonators_narrower_depth_cuts_the_impersonated_users_reach()
    {
        var impersonator = await DelegateWithBasicReadAsync();
        using var client = server.ClientFor(impersonator);
        var colleaguesAccount = await server.Admin.CreateAccountAsync("Sales colleague's", $"\"ownerid@odata.bind\":\"/systemusers({world.SalesColleague})\"");
        var globalUser = world.UserAt[Sdk.PrivilegeDepth.Global];

        // The Global reader alone reads the colleague's record; acting for it, a Basic reader reaches only the Global reader's own.
        using var alone = await server.ClientFor(globalUser).SendAsync(HttpMethod.Get, $"{Accounts}({colleaguesAccount})");
        using var impersonated = await client.SendAsync(HttpMethod.Get, $"{Accounts}({colleaguesAccount})", null, ("MSCRMCallerID", globalUser.ToString()));

        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        Assert.Equal("0x80048306", (await impersonated.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task prvActOnBehalfOfAnotherUser_through_a_team_role_does_not_let_a_user_impersonate()
    {
        var user = await Principals.AddUserAsync(server.Store, "Tim", "Teamonly" + Guid.NewGuid().ToString("N")[..6], world.Sales);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        var team = await Principals.AddTeamAsync(server.Store, "Delegates " + user, world.Sales);
        var role = await Principals.AddRoleAsync(server.Store, "Team delegate " + user, world.Sales, Sdk.PrivilegeDepth.Basic, Sdk.AccessRights.ReadAccess);
        await Principals.AddRolePrivilegeAsync(server.Store, role, SecurityCatalog.Privilege(SecurityCatalog.ActOnBehalfOfAnotherUser).Id, Sdk.PrivilegeDepth.Global);
        await Principals.AssignTeamRoleAsync(server.Store, team, role);
        await Principals.AddTeamMemberAsync(server.Store, team, user);

        using var response = await server.ClientFor(user).SendAsync(HttpMethod.Get, "WhoAmI", null, ("MSCRMCallerID", world.SalesColleague.ToString()));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("assigned to the user directly", message);
    }

    [Fact]
    public async Task A_malformed_impersonation_header_is_400()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "WhoAmI", null, ("MSCRMCallerID", "bob"));

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class ImpersonationTestsOnSqlite(SqliteSecurityFixture server) : ImpersonationTests(server, server.World), IClassFixture<SqliteSecurityFixture>;

public sealed class ImpersonationTestsOnPostgres(PostgresSecurityFixture server) : ImpersonationTests(server, server.World), IClassFixture<PostgresSecurityFixture>;
