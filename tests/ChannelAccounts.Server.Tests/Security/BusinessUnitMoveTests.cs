using System.Net;
using System.Text.Json;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

/// <summary>
/// A user or team moved to another business unit takes its records along (Dataverse's SetBusinessSystemUser and
/// SetParentTeam without DoNotMoveAllRecords; an update of businessunitid is the same message).
/// </summary>
public abstract class BusinessUnitMoveTests(IServerFixture server)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    private Guid Root => server.Organization.RootBusinessUnitId;

    [Fact]
    public async Task Moving_a_user_to_another_business_unit_moves_the_records_it_owns()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Moved to " + _tag, Root);
        var user = await OwnerAsync(await Principals.AddUserAsync(server.Store, "Ola", "Owner" + _tag, Root));
        var owned = await server.Admin.CreateAccountAsync("Owned " + _tag, $"\"ownerid@odata.bind\":\"/systemusers({user})\"");
        var other = await server.Admin.CreateAccountAsync("Not owned " + _tag);
        var before = await AccountAsync(owned);

        await PatchAsync($"systemusers({user})", $$"""{"businessunitid@odata.bind":"/businessunits({{unit}})"}""");

        var after = await AccountAsync(owned);
        Assert.Equal(unit, after.GetProperty("_owningbusinessunit_value").GetGuid());
        Assert.True(Version(after) > Version(before), "the moved record gets a new versionnumber");
        Assert.Equal(server.Organization.AdminUserId, after.GetProperty("_modifiedby_value").GetGuid());
        Assert.Equal(Root, (await AccountAsync(other)).GetProperty("_owningbusinessunit_value").GetGuid());
    }

    [Fact]
    public async Task A_moved_users_records_are_reached_by_Local_access_in_its_new_unit()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "New home " + _tag, Root);
        var user = await OwnerAsync(await Principals.AddUserAsync(server.Store, "Lia", "Mover" + _tag, Root));
        var colleague = await Principals.AddUserAsync(server.Store, "Cai", "Colleague" + _tag, unit);
        var local = await Principals.AddRoleAsync(server.Store, "Local reader " + _tag, Root, PrivilegeDepth.Local, AccessRights.ReadAccess);
        await Principals.AssignRoleAsync(server.Store, colleague, local);
        var owned = await server.Admin.CreateAccountAsync("Followed " + _tag, $"\"ownerid@odata.bind\":\"/systemusers({user})\"");

        await PatchAsync($"systemusers({user})", $$"""{"businessunitid@odata.bind":"/businessunits({{unit}})"}""");

        using var client = server.ClientFor(colleague);
        using var read = await client.SendAsync(HttpMethod.Get, $"{Accounts}({owned})?$select=msdyn_name");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Moving_a_team_to_another_business_unit_moves_the_records_it_owns()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Team home " + _tag, Root);
        var team = await Principals.AddTeamAsync(server.Store, "Movers " + _tag, Root);
        await Principals.AssignTeamRoleAsync(server.Store, team, await ReaderRoleAsync());
        var owned = await server.Admin.CreateAccountAsync("Team owned " + _tag, $"\"ownerid@odata.bind\":\"/teams({team})\"");
        var before = await AccountAsync(owned);

        await PatchAsync($"teams({team})", $$"""{"businessunitid@odata.bind":"/businessunits({{unit}})"}""");

        var after = await AccountAsync(owned);
        Assert.Equal(unit, after.GetProperty("_owningbusinessunit_value").GetGuid());
        Assert.True(Version(after) > Version(before), "the moved record gets a new versionnumber");
    }

    [Fact]
    public async Task Updating_a_user_without_changing_its_unit_leaves_its_records_as_they_are()
    {
        var user = await OwnerAsync(await Principals.AddUserAsync(server.Store, "Ivo", "Stays" + _tag, Root));
        var owned = await server.Admin.CreateAccountAsync("Untouched " + _tag, $"\"ownerid@odata.bind\":\"/systemusers({user})\"");
        var before = await AccountAsync(owned);

        await PatchAsync($"systemusers({user})", $$"""{"firstname":"Ivan","businessunitid@odata.bind":"/businessunits({{Root}})"}""");

        Assert.Equal(Version(before), Version(await AccountAsync(owned)));
    }

    /// <summary>The user holds a role that reads the accounts, as Dataverse requires of an owner.</summary>
    private async Task<Guid> OwnerAsync(Guid user)
    {
        await Principals.AssignRoleAsync(server.Store, user, await ReaderRoleAsync());
        return user;
    }

    private Task<Guid> ReaderRoleAsync() =>
        Principals.AddRoleAsync(server.Store, "Reader " + Guid.NewGuid().ToString("N")[..8], Root, PrivilegeDepth.Global, AccessRights.ReadAccess);

    private async Task PatchAsync(string url, string json)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Patch, url, json);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"PATCH {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private Task<JsonElement> AccountAsync(Guid id) =>
        server.Admin.GetJsonAsync($"{Accounts}({id})?$select=_owningbusinessunit_value,_modifiedby_value,versionnumber");

    private static long Version(JsonElement account) => account.GetProperty("versionnumber").GetInt64();
}

public sealed class BusinessUnitMoveTestsOnSqlite(SqliteServerFixture server) : BusinessUnitMoveTests(server), IClassFixture<SqliteServerFixture>;

public sealed class BusinessUnitMoveTestsOnPostgres(PostgresServerFixture server) : BusinessUnitMoveTests(server), IClassFixture<PostgresServerFixture>;
