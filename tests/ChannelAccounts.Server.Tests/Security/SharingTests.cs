using System.Net;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

public abstract class SharingTests(IServerFixture server, SecurityWorld world)
{
    private static string Target(Guid id) =>
        $$"""{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{id}}"}""";

    private static string User(Guid id) => $$"""{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{id}}"}""";

    private async Task ShareAsync(string action, Guid id, Guid user, string mask)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, action,
            $$$"""{"Target":{{{Target(id)}}},"PrincipalAccess":{"Principal":{{{User(user)}}},"AccessMask":"{{{mask}}}"}}""");
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
    }

    private async Task<List<(string Type, Guid Id, string Mask)>> SharesAsync(Guid id)
    {
        var body = await server.Admin.GetJsonAsync($"RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1={{'@odata.id':'{Accounts}({id})'}}");
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.RetrieveSharedPrincipalsAndAccessResponse", body.GetProperty("@odata.context").GetString());
        return body.GetProperty("PrincipalAccesses").EnumerateArray()
            .Select(p => (p.GetProperty("Principal").GetProperty("@odata.type").GetString()!, p.GetProperty("Principal").GetProperty("ownerid").GetGuid(),
                p.GetProperty("AccessMask").GetString()!))
            .ToList();
    }

    private async Task<string> RightsAsync(Guid user, Guid id)
    {
        var body = await server.Admin.GetJsonAsync(
            $"systemusers({user})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1=" + Uri.EscapeDataString($$"""{"@odata.id":"{{Accounts}}({{id}})"}"""));
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.RetrievePrincipalAccessResponse", body.GetProperty("@odata.context").GetString());
        return body.GetProperty("AccessRights").GetString()!;
    }

    [Fact]
    public async Task RetrievePrincipalAccess_is_a_function_so_another_verb_finds_no_resource()
    {
        var id = await server.Admin.CreateAccountAsync("Function verb");

        using var response = await server.Admin.SendAsync(HttpMethod.Post,
            $"systemusers({server.Organization.AdminUserId})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1=" +
            Uri.EscapeDataString($$"""{"@odata.id":"{{Accounts}}({{id}})"}"""), "{}");

        await response.ErrorAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("GrantAccess")]
    [InlineData("ModifyAccess")]
    public async Task A_parameter_the_action_does_not_declare_is_400_and_shares_nothing(string action)
    {
        var id = await server.Admin.CreateAccountAsync("Misspelt share");

        // "AccessMask" one level too high: OData's parameter reader refuses it; dropping it would share nothing silently.
        using var response = await server.Admin.SendAsync(HttpMethod.Post, action,
            $$$"""{"Target":{{{Target(id)}}},"PrincipalAccess":{"Principal":{{{User(world.SupportColleague)}}},"AccessMask":"ReadAccess"},"AccessMask":"WriteAccess"}""");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal($"The parameter 'AccessMask' in the request payload is not a valid parameter for the operation '{action}'.", message);
        Assert.Empty(await SharesAsync(id));
    }

    [Theory]
    [InlineData("GrantAccess", "Target@odata.type")]
    [InlineData("ModifyAccess", "PrincipalAccess@OData.Community.Display.V1.FormattedValue")]
    public async Task An_annotation_of_a_parameter_is_400_and_shares_nothing(string action, string annotation)
    {
        var id = await server.Admin.CreateAccountAsync("Annotated share");

        // OData's parameter reader, which reads Dataverse's action bodies, supports no property annotation on a parameter.
        using var response = await server.Admin.SendAsync(HttpMethod.Post, action,
            $$$"""{"Target":{{{Target(id)}}},"PrincipalAccess":{"Principal":{{{User(world.SupportColleague)}}},"AccessMask":"ReadAccess"},"{{{annotation}}}":"x"}""");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048d19", code);
        Assert.Contains($"Property annotations are not supported on the parameters of '{action}': '{annotation}'", message);
        Assert.Empty(await SharesAsync(id));
    }

    public static TheoryData<string, string, string> BadShareBodies => new()
    {
        { "an unknown member of the Target", """{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"ID","foo":"x"},"PrincipalAccess":{"Principal":USER,"AccessMask":"ReadAccess"}}""", "'foo'" },
        { "an unknown member of PrincipalAccess", """{"Target":TARGET,"PrincipalAccess":{"Principal":USER,"AccessMask":"ReadAccess","X":1}}""", "'X'" },
        { "an unknown member of the Principal", """{"Target":TARGET,"PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"USERID","nickname":"x"},"AccessMask":"ReadAccess"}}""", "'nickname'" },
        { "PrincipalAccess as a string", """{"Target":TARGET,"PrincipalAccess":"ReadAccess"}""", "'PrincipalAccess' must be an object" },
        { "an empty AccessMask", """{"Target":TARGET,"PrincipalAccess":{"Principal":USER,"AccessMask":""}}""", "empty member" },
        { "an AccessMask with an empty member", """{"Target":TARGET,"PrincipalAccess":{"Principal":USER,"AccessMask":"ReadAccess,,WriteAccess"}}""", "empty member" },
    };

    [Theory]
    [MemberData(nameof(BadShareBodies))]
    public async Task A_bad_GrantAccess_body_is_400_naming_what_to_fix_and_shares_nothing(string why, string body, string named)
    {
        _ = why;
        var id = await server.Admin.CreateAccountAsync("Bad share body");
        var json = body.Replace("TARGET", Target(id), StringComparison.Ordinal).Replace("USERID", world.SupportColleague.ToString(), StringComparison.Ordinal)
            .Replace("USER", User(world.SupportColleague), StringComparison.Ordinal).Replace("\"ID\"", $"\"{id}\"", StringComparison.Ordinal);

        using var response = await server.Admin.SendAsync(HttpMethod.Post, "GrantAccess", json);

        Assert.Contains(named, (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Empty(await SharesAsync(id));
    }

    [Fact]
    public async Task RevokeAccess_of_a_revokee_that_is_no_principal_or_does_not_exist_is_refused_as_GrantAccess_refuses_it()
    {
        var id = await server.Admin.CreateAccountAsync("Revoke from nobody");

        using var record = await server.Admin.SendAsync(HttpMethod.Post, "RevokeAccess", $$$"""{"Target":{{{Target(id)}}},"Revokee":{{{Target(id)}}}}""");
        using var missing = await server.Admin.SendAsync(HttpMethod.Post, "RevokeAccess", $$$"""{"Target":{{{Target(id)}}},"Revokee":{{{User(Guid.NewGuid())}}}}""");

        Assert.Contains("systemuser or a team", (await record.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Equal("0x80040217", (await missing.ErrorAsync(HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task GrantAccess_to_an_existing_share_adds_the_new_rights()
    {
        var id = await server.Admin.CreateAccountAsync("Shared twice");

        await ShareAsync("GrantAccess", id, world.SupportColleague, "ReadAccess");
        await ShareAsync("GrantAccess", id, world.SupportColleague, "WriteAccess,DeleteAccess");

        var share = Assert.Single(await SharesAsync(id));
        Assert.Equal(("#Microsoft.Dynamics.CRM.systemuser", world.SupportColleague, "ReadAccess, WriteAccess, DeleteAccess"), share);
    }

    [Fact]
    public async Task ModifyAccess_replaces_the_rights_and_RevokeAccess_removes_the_share()
    {
        var id = await server.Admin.CreateAccountAsync("Modified share");
        await ShareAsync("GrantAccess", id, world.SupportColleague, "ReadAccess, WriteAccess");

        await ShareAsync("ModifyAccess", id, world.SupportColleague, "ReadAccess");
        Assert.Equal("ReadAccess", Assert.Single(await SharesAsync(id)).Mask);

        using var revoke = await server.Admin.SendAsync(HttpMethod.Post, "RevokeAccess",
            $$$"""{"Target":{{{Target(id)}}},"Revokee":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","ownerid":"{{{world.SupportColleague}}}"}}""");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Empty(await SharesAsync(id));
    }

    [Fact]
    public async Task RetrievePrincipalAccess_unions_ownership_roles_and_shares_within_the_privileges_held()
    {
        var id = await server.Admin.CreateAccountAsync("Effective rights");
        Assert.Equal("None", await RightsAsync(world.SupportColleague, id));

        // Basic User holds every privilege of the table at Basic depth, so a share gives what it says.
        await ShareAsync("GrantAccess", id, world.SupportColleague, "ReadAccess, ShareAccess");
        Assert.Equal("ReadAccess, ShareAccess", await RightsAsync(world.SupportColleague, id));

        Assert.Equal("ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, ShareAccess, AssignAccess",
            await RightsAsync(server.Organization.AdminUserId, id));
    }

    [Fact]
    public async Task A_share_grants_no_right_the_principal_holds_no_privilege_for()
    {
        var readOnlyRole = await Principals.AddRoleAsync(server.Store, "Reader " + Guid.NewGuid(), world.Root, PrivilegeDepth.Basic, AccessRights.ReadAccess);
        var reader = await Principals.AddUserAsync(server.Store, "Rae", "Reader", world.Support);
        await Principals.AssignRoleAsync(server.Store, reader, readOnlyRole);
        var id = await server.Admin.CreateAccountAsync("Read only share");

        await ShareAsync("GrantAccess", id, reader, "ReadAccess, WriteAccess, DeleteAccess");

        Assert.Equal("ReadAccess", await RightsAsync(reader, id));
        using var client = server.ClientFor(reader);
        using var write = await client.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"x"}""", ("If-Match", "*"));
        var (code, message) = await write.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("is missing prvWritemsdyn_ocwhatsappchannelaccount privilege", message);
    }

    [Fact]
    public async Task Deleting_a_record_deletes_its_shares()
    {
        var id = await server.Admin.CreateAccountAsync("Short lived");
        await ShareAsync("GrantAccess", id, world.SupportColleague, "ReadAccess");

        await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({id})");

        await using var transaction = await server.Store.BeginAsync(Engine.Storage.TransactionMode.Read);
        var query = new Sdk.Query.QueryExpression("principalobjectaccess") { ColumnSet = new ColumnSet(true) };
        query.Criteria.AddCondition("objectid", Sdk.Query.ConditionOperator.Equal, id);
        Assert.Empty((await transaction.QueryAsync(query, new Engine.Query.QueryContext(Guid.Empty, Guid.Empty, DateTime.UtcNow))).Rows);
    }

    [Fact]
    public async Task A_user_without_any_role_gets_0x80040220_naming_the_privilege()
    {
        var nobody = await Principals.AddUserAsync(server.Store, "Nora", "Norole", world.Sales);
        using var client = server.ClientFor(nobody);

        using var list = await client.SendAsync(HttpMethod.Get, Accounts);
        var (code, message) = await list.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("is missing prvReadmsdyn_ocwhatsappchannelaccount privilege", message);

        using var create = await client.SendAsync(HttpMethod.Post, Accounts, """{"msdyn_name":"x"}""");
        Assert.Contains("prvCreatemsdyn_ocwhatsappchannelaccount", (await create.ErrorAsync(HttpStatusCode.Forbidden)).Message);
    }

    [Fact]
    public async Task Roles_are_read_from_live_data_on_every_call()
    {
        var user = await Principals.AddUserAsync(server.Store, "Liv", "Live", world.Sales);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        using var client = server.ClientFor(user);
        using var before = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);

        await Principals.RemoveRolesAsync(server.Store, user);

        using var after = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal("0x80040220", (await after.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }

    [Fact]
    public async Task A_membership_added_through_the_store_applies_to_the_next_call()
    {
        // The first call caches the profile under the current security stamp; the membership must change the stamp.
        var team = await Principals.AddTeamAsync(server.Store, "Late readers " + Guid.NewGuid(), world.Support);
        var role = await Principals.AddRoleAsync(server.Store, "Late team reader " + Guid.NewGuid(), world.Root, PrivilegeDepth.Global, AccessRights.ReadAccess);
        await Principals.AssignTeamRoleAsync(server.Store, team, role);
        var user = await Principals.AddUserAsync(server.Store, "Lea", "Late", world.Support);
        using var client = server.ClientFor(user);
        using var before = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal("0x80040220", (await before.ErrorAsync(HttpStatusCode.Forbidden)).Code);

        await Principals.AddTeamMemberAsync(server.Store, team, user);

        using var after = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_role_privilege_added_through_the_store_applies_to_the_next_call()
    {
        var role = await Principals.AddRoleAsync(server.Store, "Create only " + Guid.NewGuid(), world.Root, PrivilegeDepth.Global, AccessRights.CreateAccess);
        var user = await Principals.AddUserAsync(server.Store, "Pia", "Privilege", world.Sales);
        await Principals.AssignRoleAsync(server.Store, user, role);
        using var client = server.ClientFor(user);
        using var before = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal("0x80040220", (await before.ErrorAsync(HttpStatusCode.Forbidden)).Code);

        var read = SecurityCatalog.PrivilegeName(server.Store.Catalog[Engine.Metadata.MetadataCatalog.WhatsAppAccount], AccessRights.ReadAccess);
        await Principals.AddRolePrivilegeAsync(server.Store, role, SecurityCatalog.Privilege(read).Id, PrivilegeDepth.Global);

        using var after = await client.SendAsync(HttpMethod.Get, Accounts);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task A_role_held_through_a_team_counts()
    {
        var team = await Principals.AddTeamAsync(server.Store, "Readers " + Guid.NewGuid(), world.Support);
        var role = await Principals.AddRoleAsync(server.Store, "Team global reader " + Guid.NewGuid(), world.Root, PrivilegeDepth.Global, AccessRights.ReadAccess);
        await Principals.AssignTeamRoleAsync(server.Store, team, role);
        var user = await Principals.AddUserAsync(server.Store, "Tim", "Teamrole", world.Support);
        await Principals.AddTeamMemberAsync(server.Store, team, user);
        var id = await server.Admin.CreateAccountAsync("Read via team role");

        using var client = server.ClientFor(user);
        using var response = await client.SendAsync(HttpMethod.Get, $"{Accounts}({id})");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Count_and_paging_hold_only_readable_rows()
    {
        var tag = "Paged " + Guid.NewGuid().ToString("N")[..8];
        var basic = world.UserAt[PrivilegeDepth.Basic];
        for (var i = 0; i < 6; i++)
        {
            var owner = i % 2 == 0 ? basic : world.SupportColleague;
            await server.Admin.CreateAccountAsync($"{tag} {i}", $"\"ownerid@odata.bind\":\"/systemusers({owner})\"");
        }

        using var client = server.ClientFor(basic);
        var seen = new List<string>();
        string? url = $"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{tag}')&$count=true";
        while (url is not null)
        {
            var page = await client.GetJsonAsync(url, ("Prefer", "odata.maxpagesize=2"));
            if (page.TryGetProperty("@odata.count", out var count))
            {
                Assert.Equal(3, count.GetInt32());
            }

            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()!));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal([$"{tag} 0", $"{tag} 2", $"{tag} 4"], seen.Order());
    }

    [Fact]
    public async Task A_record_the_caller_cannot_read_is_403_not_404()
    {
        var id = await server.Admin.CreateAccountAsync("Hidden", $"\"ownerid@odata.bind\":\"/systemusers({world.SupportColleague})\"");
        using var client = server.ClientFor(world.UserAt[PrivilegeDepth.Local]);

        using var response = await client.SendAsync(HttpMethod.Get, $"{Accounts}({id})");

        Assert.Equal("0x80048306", (await response.ErrorAsync(HttpStatusCode.Forbidden)).Code);
    }
}

public sealed class SharingTestsOnSqlite(SqliteSecurityFixture server) : SharingTests(server, server.World), IClassFixture<SqliteSecurityFixture>;

public sealed class SharingTestsOnPostgres(PostgresSecurityFixture server) : SharingTests(server, server.World), IClassFixture<PostgresSecurityFixture>;
