using System.Net;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

/// <summary>Users, teams, business units and roles managed over the Web API, as README's security section does it.</summary>
public abstract class PrincipalManagementTests(IServerFixture server)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    private Task<Guid> CreateAsync(string set, string json) => server.Admin.CreateInAsync(set, json);

    private async Task NoContentAsync(HttpMethod method, string url, string? json = null)
    {
        using var response = await server.Admin.SendAsync(method, url, json);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"{method} {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<Guid> PrivilegeIdAsync(string name)
    {
        var body = await server.Admin.GetJsonAsync($"privileges?$select=name&$filter=name eq '{name}'");
        return body.GetProperty("value")[0].GetProperty("privilegeid").GetGuid();
    }

    private async Task<(Guid Unit, Guid User, Guid Role)> ReaderSetupAsync()
    {
        var root = server.Organization.RootBusinessUnitId;
        var unit = await CreateAsync("businessunits", $$"""{"name":"Sales {{_tag}}","parentbusinessunitid@odata.bind":"/businessunits({{root}})"}""");
        var user = await CreateAsync("systemusers",
            $$"""{"domainname":"amy.{{_tag}}@example.test","firstname":"Amy","lastname":"Adams","businessunitid@odata.bind":"/businessunits({{unit}})"}""");
        var role = await CreateAsync("roles", $$"""{"name":"Account reader {{_tag}}","businessunitid@odata.bind":"/businessunits({{root}})"}""");
        var read = await PrivilegeIdAsync("prvReadmsdyn_ocwhatsappchannelaccount");
        await NoContentAsync(HttpMethod.Post, $"roles({role})/Microsoft.Dynamics.CRM.AddPrivilegesRole",
            $$"""{"Privileges":[{"PrivilegeId":"{{read}}","Depth":"Global"}]}""");
        return (unit, user, role);
    }

    [Fact]
    public async Task An_administrator_creates_a_user_with_a_role_and_the_user_reads_as_it_allows()
    {
        var (unit, user, role) = await ReaderSetupAsync();
        var account = await server.Admin.CreateAccountAsync("Readable " + _tag);

        var amy = await server.Admin.GetJsonAsync($"systemusers({user})?$select=fullname,domainname,_businessunitid_value");
        Assert.Equal("Amy Adams", amy.GetProperty("fullname").GetString());
        Assert.Equal(unit, amy.GetProperty("_businessunitid_value").GetGuid());

        await NoContentAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref", $$"""{"@odata.id":"{{server.Root}}api/data/v9.2/roles({{role}})"}""");
        using var client = server.ClientFor(user);
        using var read = await client.SendAsync(HttpMethod.Get, $"{Accounts}({account})");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var create = await client.SendAsync(HttpMethod.Post, Accounts, """{"msdyn_name":"no"}""");
        Assert.Contains("prvCreatemsdyn_ocwhatsappchannelaccount", (await create.ErrorAsync(HttpStatusCode.Forbidden)).Message);

        await NoContentAsync(HttpMethod.Delete, $"systemusers({user})/systemuserroles_association({role})/$ref");
        using var after = await client.SendAsync(HttpMethod.Get, $"{Accounts}({account})");
        Assert.Equal("0x80040220", (await after.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task Roles_given_to_a_team_reach_its_members_until_they_leave()
    {
        var (unit, user, role) = await ReaderSetupAsync();
        var team = await CreateAsync("teams", $$"""{"name":"Support {{_tag}}","businessunitid@odata.bind":"/businessunits({{unit}})"}""");
        await NoContentAsync(HttpMethod.Post, $"teams({team})/teamroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");
        await NoContentAsync(HttpMethod.Post, $"teams({team})/Microsoft.Dynamics.CRM.AddMembersTeam",
            $$"""{"Members":[{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{user}}"}]}""");
        using var client = server.ClientFor(user);
        using var member = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal(HttpStatusCode.OK, member.StatusCode);

        await NoContentAsync(HttpMethod.Post, $"teams({team})/Microsoft.Dynamics.CRM.RemoveMembersTeam",
            $$"""{"Members":[{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{user}}"}]}""");
        using var gone = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal("0x80040220", (await gone.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task A_bound_action_refuses_a_parameter_it_does_not_declare_and_changes_nothing()
    {
        var (unit, user, _) = await ReaderSetupAsync();
        var team = await CreateAsync("teams", $$"""{"name":"Strict {{_tag}}","businessunitid@odata.bind":"/businessunits({{unit}})"}""");

        using var response = await server.Admin.SendAsync(HttpMethod.Post, $"teams({team})/Microsoft.Dynamics.CRM.AddMembersTeam",
            $$"""{"Members":[{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{user}}"}],"MemberIds":["{{user}}"]}""");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The parameter 'MemberIds' in the request payload is not a valid parameter for the operation 'AddMembersTeam'.", message);
        var members = new Sdk.Query.QueryExpression(MetadataCatalog.TeamMembership) { ColumnSet = new Sdk.ColumnSet("systemuserid") };
        members.Criteria.AddCondition("teamid", Sdk.Query.ConditionOperator.Equal, team);
        await using var read = await server.Store.BeginAsync(TransactionMode.Read);
        Assert.Empty((await read.QueryAsync(members, new Engine.Query.QueryContext(server.Organization.AdminUserId, server.Organization.RootBusinessUnitId, DateTime.UtcNow))).Rows);
    }

    [Theory]
    [InlineData("""{"Privileges":[{"Depth":"Basic"}]}""", "'PrivilegeId' is required")]
    [InlineData("""{"Privileges":[{"PrivilegeId":"PRV","Depth":"Basic","Foo":1}]}""", "'Foo'")]
    [InlineData("""{"Privileges":["PRV"]}""", "must be an object")]
    public async Task AddPrivilegesRole_with_a_privilege_item_it_cannot_read_is_400_and_adds_nothing(string body, string named)
    {
        var (_, user, role) = await ReaderSetupAsync();
        await NoContentAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");
        var create = await PrivilegeIdAsync("prvCreatemsdyn_ocwhatsappchannelaccount");

        using var response = await server.Admin.SendAsync(HttpMethod.Post, $"roles({role})/Microsoft.Dynamics.CRM.AddPrivilegesRole",
            body.Replace("PRV", create.ToString(), StringComparison.Ordinal));

        Assert.Contains(named, (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        using var client = server.ClientFor(user);
        using var refused = await client.SendAsync(HttpMethod.Post, Accounts, """{"msdyn_name":"not allowed"}""");
        Assert.Equal("0x80040220", (await refused.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task Membership_by_ref_works_from_the_users_side_too()
    {
        var (unit, user, role) = await ReaderSetupAsync();
        var team = await CreateAsync("teams", $$"""{"name":"Field {{_tag}}","businessunitid@odata.bind":"/businessunits({{unit}})"}""");
        await NoContentAsync(HttpMethod.Post, $"teams({team})/teamroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");

        await NoContentAsync(HttpMethod.Post, $"systemusers({user})/teammembership_association/$ref", $$"""{"@odata.id":"teams({{team}})"}""");
        using var client = server.ClientFor(user);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(HttpMethod.Get, Accounts)).StatusCode);

        await NoContentAsync(HttpMethod.Delete, $"systemusers({user})/teammembership_association/$ref?$id=teams({team})");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Get, Accounts)).StatusCode);
    }

    [Fact]
    public async Task Replace_and_remove_privileges_change_what_the_role_gives()
    {
        var (_, user, role) = await ReaderSetupAsync();
        await NoContentAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");
        var create = await PrivilegeIdAsync("prvCreatemsdyn_ocwhatsappchannelaccount");
        var read = await PrivilegeIdAsync("prvReadmsdyn_ocwhatsappchannelaccount");
        using var client = server.ClientFor(user);

        await NoContentAsync(HttpMethod.Post, $"roles({role})/Microsoft.Dynamics.CRM.ReplacePrivilegesRole",
            $$"""{"Privileges":[{"PrivilegeId":"{{create}}","Depth":"Basic"},{"PrivilegeId":"{{read}}","Depth":"Basic"}]}""");
        using var created = await client.SendAsync(HttpMethod.Post, Accounts, """{"msdyn_name":"mine"}""");
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);

        await NoContentAsync(HttpMethod.Post, $"roles({role})/Microsoft.Dynamics.CRM.RemovePrivilegeRole", $$"""{"PrivilegeId":"{{create}}"}""");
        using var refused = await client.SendAsync(HttpMethod.Post, Accounts, """{"msdyn_name":"again"}""");
        Assert.Equal("0x80040220", (await refused.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task A_disabled_user_cannot_call()
    {
        var (_, user, role) = await ReaderSetupAsync();
        await NoContentAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");

        await NoContentAsync(HttpMethod.Patch, $"systemusers({user})", """{"isdisabled":true}""");

        using var client = server.ClientFor(user);
        await (await client.SendAsync(HttpMethod.Get, "WhoAmI")).ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Only_administrators_manage_principals()
    {
        var (_, user, role) = await ReaderSetupAsync();
        await NoContentAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");
        using var client = server.ClientFor(user);

        using var response = await client.SendAsync(HttpMethod.Post, "systemusers", $$"""{"domainname":"mallory.{{_tag}}@example.test"}""");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("prvCreateUser", message);
        using var escalate = await client.SendAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref",
            $$"""{"@odata.id":"roles({{Engine.Security.SecurityCatalog.SystemAdministratorRoleId}})"}""");
        Assert.Equal("0x80040220", (await escalate.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task A_roles_privileges_and_their_depths_are_read_from_roleprivileges_and_read_only()
    {
        var (_, user, role) = await ReaderSetupAsync();
        await NoContentAsync(HttpMethod.Post, $"systemusers({user})/systemuserroles_association/$ref", $$"""{"@odata.id":"roles({{role}})"}""");
        var read = await PrivilegeIdAsync("prvReadmsdyn_ocwhatsappchannelaccount");
        using var client = server.ClientFor(user);

        var rows = (await client.GetJsonAsync($"roleprivilegescollection?$filter=_roleid_value eq {role}")).GetProperty("value");
        var expanded = (await client.GetJsonAsync($"roles({role})?$select=name&$expand=lk_roleprivileges_roleid($select=privilegedepthmask,_privilegeid_value)"))
            .GetProperty("lk_roleprivileges_roleid");

        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal(read, row.GetProperty("_privilegeid_value").GetGuid());
        Assert.Equal(8, row.GetProperty("privilegedepthmask").GetInt32()); // Global
        Assert.Equal(read, Assert.Single(expanded.EnumerateArray()).GetProperty("_privilegeid_value").GetGuid());
        using var write = await server.Admin.SendAsync(HttpMethod.Post, "roleprivilegescollection",
            $$"""{"privilegedepthmask":8,"roleid@odata.bind":"/roles({{role}})"}""");
        Assert.False(write.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Privileges_are_listed_and_read_only()
    {
        var body = await server.Admin.GetJsonAsync("privileges?$select=name");
        var names = body.GetProperty("value").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("prvActOnBehalfOfAnotherUser", names);
        Assert.Contains("prvSharemsdyn_ocwhatsappchannelaccount", names);
        Assert.Contains("prvBulkDelete", names);
        Assert.Contains("prvBypassCustomPlugins", names);
        Assert.Equal(11, names.Count);

        using var response = await server.Admin.SendAsync(HttpMethod.Post, "privileges", """{"name":"prvEverything"}""");
        Assert.False(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task A_business_unit_cannot_become_its_own_ancestor()
    {
        var root = server.Organization.RootBusinessUnitId;
        var parent = await CreateAsync("businessunits", $$"""{"name":"Parent {{_tag}}","parentbusinessunitid@odata.bind":"/businessunits({{root}})"}""");
        var child = await CreateAsync("businessunits", $$"""{"name":"Child {{_tag}}","parentbusinessunitid@odata.bind":"/businessunits({{parent}})"}""");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"businessunits({parent})", $$"""{"parentbusinessunitid@odata.bind":"/businessunits({{child}})"}""");

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_domainname_is_unique()
    {
        await CreateAsync("systemusers", $$"""{"domainname":"dup.{{_tag}}@example.test"}""");

        using var response = await server.Admin.SendAsync(HttpMethod.Post, "systemusers", $$"""{"domainname":"DUP.{{_tag}}@example.test"}""");

        Assert.False(response.IsSuccessStatusCode);
        Assert.True((int)response.StatusCode is >= 400 and < 500);
    }

    [Fact]
    public async Task Users_cannot_be_deleted_only_disabled()
    {
        var user = await CreateAsync("systemusers", $$"""{"domainname":"keep.{{_tag}}@example.test"}""");

        using var response = await server.Admin.SendAsync(HttpMethod.Delete, $"systemusers({user})");

        Assert.Contains("isdisabled", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }
}

public sealed class PrincipalManagementTestsOnSqlite(SqliteServerFixture server) : PrincipalManagementTests(server), IClassFixture<SqliteServerFixture>;

public sealed class PrincipalManagementTestsOnPostgres(PostgresServerFixture server) : PrincipalManagementTests(server), IClassFixture<PostgresServerFixture>;
