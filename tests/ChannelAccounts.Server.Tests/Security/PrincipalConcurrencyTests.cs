using System.Net;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

/// <summary>
/// A principal changed in one transaction while another request names it: the request waits for that transaction
/// and then sees what it did, as it would one at a time (SQLite runs writers one at a time; PostgreSQL needs the
/// principal's row locked for it). The first transaction is held open in process; the second is a real request.
/// </summary>
public abstract class PrincipalConcurrencyTests(IServerFixture server)
{
    /// <summary>Long enough for the request to reach the lock it waits on before the held transaction commits.</summary>
    private static readonly TimeSpan Reach = TimeSpan.FromMilliseconds(400);

    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    private CallerIdentity Admin => CallerIdentity.User(server.Organization.AdminUserId);

    [Fact]
    public async Task Deleting_a_team_waits_for_a_create_owned_by_it_and_then_refuses()
    {
        var team = await OwnerTeamAsync();
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        await using var scope = await engine.BeginScopeAsync();
        var created = (CreateResponse)await scope.ExecuteAsync(new CreateRequest
        {
            Target = new Entity(MetadataCatalog.WhatsAppAccount) { ["msdyn_name"] = "Owned " + _tag, ["ownerid"] = new EntityReference(MetadataCatalog.Team, team) },
        }, Admin);

        var delete = server.Admin.SendAsync(HttpMethod.Delete, $"teams({team})");
        await Task.Delay(Reach);
        await scope.CommitAsync();

        using var refused = await delete;
        Assert.Contains("owns records", (await refused.ErrorAsync(HttpStatusCode.BadRequest)).Message, StringComparison.Ordinal);
        var account = await server.Admin.GetJsonAsync($"{Accounts}({created.id})?$select=_ownerid_value");
        Assert.Equal(team, account.GetProperty("_ownerid_value").GetGuid());
    }

    [Fact]
    public async Task An_assign_to_a_team_being_deleted_waits_and_then_finds_it_gone()
    {
        var team = await OwnerTeamAsync();
        var account = await server.Admin.CreateAccountAsync("Assigned " + _tag);
        await using var scope = await DeleteHeldAsync(team);

        var assign = server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({account})", $$"""{"ownerid@odata.bind":"/teams({{team}})"}""");
        await Task.Delay(Reach);
        await scope.CommitAsync();

        using var response = await assign;
        Assert.Equal("0x80040217", (await response.ErrorAsync(HttpStatusCode.NotFound)).Code);
        var owner = await server.Admin.GetJsonAsync($"{Accounts}({account})?$select=_ownerid_value");
        Assert.Equal(server.Organization.AdminUserId, owner.GetProperty("_ownerid_value").GetGuid());
    }

    [Fact]
    public async Task A_create_owned_by_a_team_being_deleted_waits_and_then_finds_it_gone()
    {
        var team = await OwnerTeamAsync();
        await using var scope = await DeleteHeldAsync(team);

        var create = server.Admin.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"Orphan {{_tag}}","ownerid@odata.bind":"/teams({{team}})"}""");
        await Task.Delay(Reach);
        await scope.CommitAsync();

        using var response = await create;
        Assert.Equal("0x80040217", (await response.ErrorAsync(HttpStatusCode.NotFound)).Code);
        var left = await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter=msdyn_name eq 'Orphan {_tag}'");
        Assert.Equal(0, left.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Sharing_with_a_team_being_deleted_waits_and_then_finds_it_gone()
    {
        var team = await OwnerTeamAsync();
        var account = await server.Admin.CreateAccountAsync("Shared " + _tag);
        await using var scope = await DeleteHeldAsync(team);

        var grant = server.Admin.SendAsync(HttpMethod.Post, "GrantAccess", $$$"""
            {"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{{account}}}"},
             "PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.team","teamid":"{{{team}}}"},"AccessMask":"ReadAccess"}}
            """);
        await Task.Delay(Reach);
        await scope.CommitAsync();

        using var response = await grant;
        Assert.Equal("0x80040217", (await response.ErrorAsync(HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task Adding_a_member_to_a_team_being_deleted_waits_and_then_finds_it_gone()
    {
        var team = await OwnerTeamAsync();
        var user = await Principals.AddUserAsync(server.Store, "Mia", "Member" + _tag, server.Organization.RootBusinessUnitId);
        await using var scope = await DeleteHeldAsync(team);

        var add = server.Admin.SendAsync(HttpMethod.Post, $"teams({team})/Microsoft.Dynamics.CRM.AddMembersTeam",
            $$"""{"Members":[{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{user}}"}]}""");
        await Task.Delay(Reach);
        await scope.CommitAsync();

        using var response = await add;
        Assert.Equal("0x80040217", (await response.ErrorAsync(HttpStatusCode.NotFound)).Code);
        var memberships = await server.Admin.GetJsonAsync($"systemusers({user})/teammembership_association?$select=teamid");
        Assert.Equal(0, memberships.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Creating_a_user_waits_for_another_create_of_its_domainname_and_then_refuses()
    {
        var domainName = $"twin.{_tag}@example.test";
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        await using var scope = await engine.BeginScopeAsync();
        await scope.ExecuteAsync(new CreateRequest { Target = new Entity(MetadataCatalog.SystemUser) { ["domainname"] = domainName } }, Admin);

        var second = server.Admin.SendAsync(HttpMethod.Post, "systemusers", $$"""{"domainname":"{{domainName}}"}""");
        await Task.Delay(Reach);
        await scope.CommitAsync();

        using var response = await second;
        Assert.Equal("0x80040237", (await response.ErrorAsync(HttpStatusCode.PreconditionFailed)).Code);
        var users = await server.Admin.GetJsonAsync($"systemusers?$select=systemuserid&$filter=domainname eq '{domainName}'");
        Assert.Equal(1, users.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Adding_a_role_a_user_is_being_given_waits_and_then_changes_nothing()
    {
        var user = await Principals.AddUserAsync(server.Store, "Rui", "Role" + _tag, server.Organization.RootBusinessUnitId);
        var role = await Principals.AddRoleAsync(server.Store, "Reader " + _tag, server.Organization.RootBusinessUnitId, PrivilegeDepth.Global, AccessRights.ReadAccess);
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        await using var scope = await engine.BeginScopeAsync();
        await scope.ExecuteAsync(new AssociateRequest
        {
            Target = new EntityReference(MetadataCatalog.SystemUser, user),
            Relationship = new Relationship("systemuserroles_association"),
            RelatedEntities = [new EntityReference(MetadataCatalog.Role, role)],
        }, Admin);

        var again = server.Admin.SendAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");
        await Task.Delay(Reach);
        await scope.CommitAsync();

        using var response = await again;
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var roles = await server.Admin.GetJsonAsync($"systemusers({user})/systemuserroles_association?$select=roleid");
        Assert.Equal(1, roles.GetProperty("value").GetArrayLength());
    }

    /// <summary>A team that may own records: it holds a role that reads them, as Dataverse requires of an owner.</summary>
    private async Task<Guid> OwnerTeamAsync()
    {
        var root = server.Organization.RootBusinessUnitId;
        var team = await Principals.AddTeamAsync(server.Store, "Owners " + _tag, root);
        var role = await Principals.AddRoleAsync(server.Store, "Owner reader " + _tag, root, PrivilegeDepth.Global, AccessRights.ReadAccess);
        await Principals.AssignTeamRoleAsync(server.Store, team, role);
        return team;
    }

    /// <summary>The team deleted in a transaction that stays open until the test commits it.</summary>
    private async Task<EngineTransactionScope> DeleteHeldAsync(Guid team)
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var scope = await engine.BeginScopeAsync();
        await scope.ExecuteAsync(new DeleteRequest { Target = new EntityReference(MetadataCatalog.Team, team) }, Admin);
        return scope;
    }
}

public sealed class PrincipalConcurrencyTestsOnSqlite(SqliteServerFixture server) : PrincipalConcurrencyTests(server), IClassFixture<SqliteServerFixture>;

public sealed class PrincipalConcurrencyTestsOnPostgres(PostgresServerFixture server) : PrincipalConcurrencyTests(server), IClassFixture<PostgresServerFixture>;
