using System.Net;
using System.Net.Http.Headers;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Auth;

public abstract class AuthenticationTests(IServerFixture server)
{
    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "" },
        { "GET", "$metadata" },
        { "GET", "WhoAmI" },
        { "GET", Accounts },
        { "POST", Accounts },
        { "GET", $"{Accounts}(00000000-0000-0000-0000-000000000001)" },
        { "PATCH", $"{Accounts}(00000000-0000-0000-0000-000000000001)" },
        { "DELETE", $"{Accounts}(00000000-0000-0000-0000-000000000001)" },
        { "GET", $"{Accounts}/$count" },
        { "PUT", $"{Accounts}(00000000-0000-0000-0000-000000000001)/msdyn_name" },
        { "POST", "GrantAccess" },
        { "POST", "ModifyAccess" },
        { "POST", "RevokeAccess" },
        { "GET", "RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1={'@odata.id':'msdyn_ocwhatsappchannelaccounts(00000000-0000-0000-0000-000000000001)'}" },
        { "GET", "systemusers(00000000-0000-0000-0000-000000000001)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'msdyn_ocwhatsappchannelaccounts(00000000-0000-0000-0000-000000000001)'}" },
        { "GET", "systemusers" },
        { "POST", "systemusers" },
        { "GET", "teams" },
        { "GET", "roles" },
        { "GET", "businessunits" },
        { "GET", "privileges" },
        { "POST", "roles(00000000-0000-0000-0000-000000000001)/Microsoft.Dynamics.CRM.AddPrivilegesRole" },
        { "POST", "teams(00000000-0000-0000-0000-000000000001)/Microsoft.Dynamics.CRM.AddMembersTeam" },
        { "POST", "systemusers(00000000-0000-0000-0000-000000000001)/systemuserroles_association/$ref" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Without_a_token_every_route_is_401_with_a_Dataverse_error(string method, string url)
    {
        using var client = server.Anonymous();

        using var response = await client.SendAsync(new HttpMethod(method), url, method is "GET" or "DELETE" ? null : """{"msdyn_name":"x"}""");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("bearer token", message);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme); // how a client learns which scheme to use
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        using var client = server.Anonymous();
        var forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDEiLCJpc3MiOiJjaGFubmVsYWNjb3VudHMiLCJhdWQiOiJjaGFubmVsYWNjb3VudHMiLCJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJlLW9mLWFub3RoZXIta2V5LW5vdC1vdXJz";
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        using var response = await client.SendAsync(HttpMethod.Get, "WhoAmI");

        await response.ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_for_a_disabled_user_is_refused()
    {
        var user = await Principals.AddUserAsync(server.Store, "Dora", "Disabled", server.Organization.RootBusinessUnitId, disabled: true);
        using var client = server.ClientFor(user);

        using var response = await client.SendAsync(HttpMethod.Get, "WhoAmI");

        await response.ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_local_token_is_validated_once_and_then_answered_from_memory()
    {
        var user = await Principals.AddUserAsync(server.Store, "Mona", "Memory", server.Organization.RootBusinessUnitId);
        using var client = server.ClientFor(user);
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var known = server.Services.GetRequiredService<KnownBearerTokens>();
        Assert.False(known.TryGet(token, out _));

        using var first = await client.SendAsync(HttpMethod.Get, "WhoAmI");
        using var second = await client.SendAsync(HttpMethod.Get, "WhoAmI");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.True(known.TryGet(token, out var caller));
        Assert.Equal(user, caller.UserId);
    }

    [Fact]
    public async Task A_token_that_worked_is_refused_once_its_user_is_disabled()
    {
        var user = await Principals.AddUserAsync(server.Store, "Wendy", "Worked", server.Organization.RootBusinessUnitId);
        using var client = server.ClientFor(user);
        using (var before = await client.SendAsync(HttpMethod.Get, "WhoAmI"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using (var disable = await server.Admin.SendAsync(HttpMethod.Patch, $"systemusers({user})", """{"isdisabled":true}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, disable.StatusCode);
        }

        using var after = await client.SendAsync(HttpMethod.Get, "WhoAmI");
        await after.ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_that_worked_as_Bearer_is_refused_under_another_scheme()
    {
        using var client = server.ClientFor(server.Organization.AdminUserId);
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        using (var lowerCase = new HttpRequestMessage(HttpMethod.Get, "WhoAmI"))
        {
            lowerCase.Headers.TryAddWithoutValidation("Authorization", "bearer " + token);
            using var accepted = await client.SendAsync(lowerCase);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode); // the scheme name is case-insensitive, as in JwtBearer
        }

        using var anonymous = server.Anonymous();
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        using var refused = await anonymous.SendAsync(HttpMethod.Get, "WhoAmI");

        await refused.ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Records_created_by_another_user_name_that_user()
    {
        var user = await Principals.AddUserAsync(server.Store, "Carl", "Creator", server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        using var client = server.ClientFor(user);

        var id = await client.CreateAccountAsync("Carl's account");

        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=_createdby_value,_ownerid_value,_modifiedby_value");
        Assert.Equal(user, body.GetProperty("_createdby_value").GetGuid());
        Assert.Equal(user, body.GetProperty("_ownerid_value").GetGuid());
        Assert.Equal(user, body.GetProperty("_modifiedby_value").GetGuid());
    }
}

public sealed class AuthenticationTestsOnSqlite(SqliteServerFixture server) : AuthenticationTests(server), IClassFixture<SqliteServerFixture>;

public sealed class AuthenticationTestsOnPostgres(PostgresServerFixture server) : AuthenticationTests(server), IClassFixture<PostgresServerFixture>;
