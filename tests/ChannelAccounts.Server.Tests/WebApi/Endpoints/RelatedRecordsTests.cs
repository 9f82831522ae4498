using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

/// <summary>GET of a collection-valued navigation property: the related records, as a collection of their own table.</summary>
public abstract class RelatedRecordsTests(IServerFixture server)
{
    [Fact]
    public async Task A_users_one_to_many_navigation_lists_the_records_the_user_owns_with_the_query_options()
    {
        var tag = "rel" + Guid.NewGuid().ToString("N")[..8];
        var other = await Principals.AddAdministratorAsync(server.Store, "Related", "Owner", server.Organization.RootBusinessUnitId);
        await server.Admin.CreateAccountAsync(tag + " b");
        await server.Admin.CreateAccountAsync(tag + " a");
        await server.Admin.CreateAccountAsync(tag + " c", $$"""  "ownerid@odata.bind":"/systemusers({{other}})" """);

        var json = await server.Admin.GetJsonAsync(
            $"systemusers({server.Organization.AdminUserId})/user_msdyn_ocwhatsappchannelaccount?$select=msdyn_name&$filter=startswith(msdyn_name,'{tag}')&$orderby=msdyn_name");

        Assert.EndsWith("$metadata#msdyn_ocwhatsappchannelaccounts(msdyn_name)", json.GetProperty("@odata.context").GetString());
        Assert.Equal([tag + " a", tag + " b"], json.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()));
    }

    [Fact]
    public async Task The_related_records_page_through_nextLink_like_any_collection()
    {
        var tag = "rel" + Guid.NewGuid().ToString("N")[..8];
        var owner = await Principals.AddAdministratorAsync(server.Store, "Paged", "Owner", server.Organization.RootBusinessUnitId);
        foreach (var name in new[] { "1", "2", "3" })
        {
            await server.Admin.CreateAccountAsync($"{tag} {name}", $$"""  "ownerid@odata.bind":"/systemusers({{owner}})" """);
        }

        var names = new List<string>();
        string? url = $"systemusers({owner})/user_msdyn_ocwhatsappchannelaccount?$select=msdyn_name&$orderby=msdyn_name";
        while (url is not null)
        {
            var page = await server.Admin.GetJsonAsync(url, ("Prefer", "odata.maxpagesize=2"));
            names.AddRange(page.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()!));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal([tag + " 1", tag + " 2", tag + " 3"], names);
    }

    [Fact]
    public async Task Count_of_a_navigation_is_the_number_of_related_records_that_match_the_filter()
    {
        var tag = "rel" + Guid.NewGuid().ToString("N")[..8];
        var owner = await Principals.AddAdministratorAsync(server.Store, "Counted", "Owner", server.Organization.RootBusinessUnitId);
        foreach (var name in new[] { "a1", "a2", "b1" })
        {
            await server.Admin.CreateAccountAsync($"{tag} {name}", $$"""  "ownerid@odata.bind":"/systemusers({{owner}})" """);
        }
        await server.Admin.CreateAccountAsync(tag + " a3");

        using var all = await server.Admin.SendAsync(HttpMethod.Get, $"systemusers({owner})/user_msdyn_ocwhatsappchannelaccount/$count");
        using var filtered = await server.Admin.SendAsync(HttpMethod.Get,
            $"systemusers({owner})/user_msdyn_ocwhatsappchannelaccount/$count?$filter=startswith(msdyn_name,'{tag} a')");
        using var missing = await server.Admin.SendAsync(HttpMethod.Get, $"systemusers({Guid.NewGuid()})/user_msdyn_ocwhatsappchannelaccount/$count");
        using var post = await server.Admin.SendAsync(HttpMethod.Post, $"systemusers({owner})/user_msdyn_ocwhatsappchannelaccount/$count", "{}");

        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("text/plain", all.Content.Headers.ContentType?.MediaType);
        Assert.Equal("3", await all.Content.ReadAsStringAsync());
        Assert.Equal("2", await filtered.Content.ReadAsStringAsync());
        await missing.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task A_one_to_many_navigation_of_a_business_unit_lists_its_records()
    {
        var tag = "rel" + Guid.NewGuid().ToString("N")[..8];
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Related unit " + tag, server.Organization.RootBusinessUnitId);
        var owner = await Principals.AddAdministratorAsync(server.Store, "Unit", "Owner", unit);
        await server.Admin.CreateAccountAsync(tag + " in unit", $$"""  "ownerid@odata.bind":"/systemusers({{owner}})" """);
        await server.Admin.CreateAccountAsync(tag + " at root");

        var json = await server.Admin.GetJsonAsync($"businessunits({unit})/business_unit_msdyn_ocwhatsappchannelaccount?$select=msdyn_name");

        Assert.Equal([tag + " in unit"], json.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()));
    }

    [Fact]
    public async Task A_many_to_many_navigation_lists_the_records_through_the_intersect_table()
    {
        var unit = server.Organization.RootBusinessUnitId;
        var team = await Principals.AddTeamAsync(server.Store, "Related team " + Guid.NewGuid().ToString("N")[..6], unit);
        var member = await Principals.AddUserAsync(server.Store, "Team", "Member", unit);
        await Principals.AddUserAsync(server.Store, "Not", "Member", unit);
        using var added = await server.Admin.SendAsync(HttpMethod.Post, $"teams({team})/Microsoft.Dynamics.CRM.AddMembersTeam",
            $$"""{"Members":[{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{member}}"}]}""");
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);

        var users = await server.Admin.GetJsonAsync($"teams({team})/teammembership_association?$select=fullname");
        var teams = await server.Admin.GetJsonAsync($"systemusers({member})/teammembership_association?$select=name");

        var user = Assert.Single(users.GetProperty("value").EnumerateArray());
        Assert.Equal(member, user.GetProperty("systemuserid").GetGuid());
        Assert.Equal("Team Member", user.GetProperty("fullname").GetString());
        Assert.Contains(teams.GetProperty("value").EnumerateArray(), t => t.GetProperty("teamid").GetGuid() == team);
    }

    [Fact]
    public async Task The_references_of_a_navigation_are_the_related_records_ids_as_odata_ids()
    {
        var unit = server.Organization.RootBusinessUnitId;
        var team = await Principals.AddTeamAsync(server.Store, "Referenced team " + Guid.NewGuid().ToString("N")[..6], unit);
        var member = await Principals.AddUserAsync(server.Store, "Referenced", "Member", unit);
        await Principals.AddTeamMemberAsync(server.Store, team, member);
        var tag = "ref" + Guid.NewGuid().ToString("N")[..8];
        var owner = await Principals.AddAdministratorAsync(server.Store, "Referenced", "Owner", unit);
        var owned = new List<Guid>();
        foreach (var name in new[] { "1", "2", "3" })
        {
            owned.Add(await server.Admin.CreateAccountAsync($"{tag} {name}", $$"""  "ownerid@odata.bind":"/systemusers({{owner}})" """));
        }

        var members = await server.Admin.GetJsonAsync($"teams({team})/teammembership_association/$ref");
        Assert.EndsWith("$metadata#Collection($ref)", members.GetProperty("@odata.context").GetString());
        var reference = Assert.Single(members.GetProperty("value").EnumerateArray());
        Assert.Equal(new Uri(server.Root, $"api/data/v9.2/systemusers({member})").ToString(), reference.GetProperty("@odata.id").GetString());
        Assert.Single(reference.EnumerateObject());

        var ids = new List<Guid>();
        string? url = $"systemusers({owner})/user_msdyn_ocwhatsappchannelaccount/$ref?$orderby=msdyn_name&$expand=createdby";
        while (url is not null)
        {
            var page = await server.Admin.GetJsonAsync(url, ("Prefer", "odata.maxpagesize=2"));
            ids.AddRange(page.GetProperty("value").EnumerateArray().Select(r => IdFromEntityUri(r.GetProperty("@odata.id").GetString()!)));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal(owned, ids);
    }

    [Fact]
    public async Task FetchXml_links_an_intersect_table_to_find_the_members_of_a_team()
    {
        var unit = server.Organization.RootBusinessUnitId;
        var team = await Principals.AddTeamAsync(server.Store, "Fetch team " + Guid.NewGuid().ToString("N")[..6], unit);
        var member = await Principals.AddUserAsync(server.Store, "Fetched", "Member", unit);
        using var added = await server.Admin.SendAsync(HttpMethod.Post, $"teams({team})/Microsoft.Dynamics.CRM.AddMembersTeam",
            $$"""{"Members":[{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{member}}"}]}""");
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);
        var fetch = $"""
            <fetch><entity name="systemuser"><attribute name="fullname"/>
              <link-entity name="teammembership" from="systemuserid" to="systemuserid" intersect="true">
                <filter><condition attribute="teamid" operator="eq" value="{team}"/></filter>
              </link-entity>
            </entity></fetch>
            """;

        var json = await server.Admin.GetJsonAsync("systemusers?fetchXml=" + Uri.EscapeDataString(fetch));

        Assert.Equal("Fetched Member", Assert.Single(json.GetProperty("value").EnumerateArray()).GetProperty("fullname").GetString());
    }

    [Fact]
    public async Task The_related_records_of_a_missing_record_are_404_and_other_verbs_405()
    {
        using var missing = await server.Admin.SendAsync(HttpMethod.Get, $"systemusers({Guid.NewGuid()})/user_msdyn_ocwhatsappchannelaccount");
        using var post = await server.Admin.SendAsync(HttpMethod.Post,
            $"systemusers({server.Organization.AdminUserId})/user_msdyn_ocwhatsappchannelaccount", """{"msdyn_name":"x"}""");

        await missing.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?$select=msdyn_name")] // the related table's column: it was checked against systemuser (400 instead of 405)
    public async Task Creating_through_an_ownership_navigation_is_405_saying_to_post_to_the_entity_set_with_the_owner(string query)
    {
        var admin = server.Organization.AdminUserId;

        using var post = await server.Admin.SendAsync(HttpMethod.Post, $"systemusers({admin})/user_msdyn_ocwhatsappchannelaccount{query}", """{"msdyn_name":"x"}""");

        var (_, message) = await post.ErrorAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Contains($$"""POST msdyn_ocwhatsappchannelaccounts with {"ownerid@odata.bind":"/systemusers({{admin}})"}""", message);
    }

    [Fact]
    public async Task Linking_through_a_teams_ownership_navigation_is_400_naming_the_assign_to_do_instead_and_changes_nothing()
    {
        var team = await Principals.AddTeamAsync(server.Store, "Linked team " + Guid.NewGuid().ToString("N")[..6], server.Organization.RootBusinessUnitId);
        var account = await server.Admin.CreateAccountAsync("Linked through a team");

        using var link = await server.Admin.SendAsync(HttpMethod.Post, $"teams({team})/team_msdyn_ocwhatsappchannelaccount/$ref",
            $$"""{"@odata.id":"{{server.Root}}api/data/v9.2/{{Accounts}}({{account}})"}""");

        var (code, message) = await link.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80040203", code);
        Assert.StartsWith("'team_msdyn_ocwhatsappchannelaccount' is the one-to-many relationship of msdyn_ocwhatsappchannelaccount.owningteam", message);
        Assert.Contains($$"""PATCH msdyn_ocwhatsappchannelaccounts(<id>) with {"ownerid@odata.bind":"/teams({{team}})"}""", message);
        Assert.Equal(server.Organization.AdminUserId, (await server.Admin.GetJsonAsync($"{Accounts}({account})?$select=_ownerid_value")).GetProperty("_ownerid_value").GetGuid());
    }

    [Fact]
    public async Task Unlinking_through_a_createdby_navigation_is_400_saying_the_platform_sets_it()
    {
        var account = await server.Admin.CreateAccountAsync("Created by");

        using var unlink = await server.Admin.SendAsync(HttpMethod.Delete,
            $"systemusers({server.Organization.AdminUserId})/lk_msdyn_ocwhatsappchannelaccount_createdby({account})/$ref");

        var (_, message) = await unlink.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("msdyn_ocwhatsappchannelaccount.createdby is set by the platform from the user who makes the change.", message);
    }
}

public sealed class RelatedRecordsTestsOnSqlite(SqliteServerFixture server) : RelatedRecordsTests(server), IClassFixture<SqliteServerFixture>;

public sealed class RelatedRecordsTestsOnPostgres(PostgresServerFixture server) : RelatedRecordsTests(server), IClassFixture<PostgresServerFixture>;
