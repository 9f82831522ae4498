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

    [Fact]
    public async Task A_malformed_impersonation_header_is_400()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "WhoAmI", null, ("MSCRMCallerID", "bob"));

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class ImpersonationTestsOnSqlite(SqliteSecurityFixture server) : ImpersonationTests(server, server.World), IClassFixture<SqliteSecurityFixture>;

public sealed class ImpersonationTestsOnPostgres(PostgresSecurityFixture server) : ImpersonationTests(server, server.World), IClassFixture<PostgresSecurityFixture>;
