using System.Net;
using System.Text.Json;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

/// <summary>$expand of collection-valued navigation properties: the related records nested in each record.</summary>
public abstract class CollectionExpansionsTests(IServerFixture server)
{
    private readonly string _tag = "exp" + Guid.NewGuid().ToString("N")[..8];

    private async Task<Guid> OwnerWithAccountsAsync(string lastName, params string[] names)
    {
        var owner = await Principals.AddAdministratorAsync(server.Store, "Expanded", lastName + _tag, server.Organization.RootBusinessUnitId);
        foreach (var name in names)
        {
            await server.Admin.CreateAccountAsync($"{_tag} {name}", $$""" "ownerid@odata.bind":"/systemusers({{owner}})" """);
        }

        return owner;
    }

    private static List<string?> Names(JsonElement record, string navigation) =>
        record.GetProperty(navigation).EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()).ToList();

    [Fact]
    public async Task Each_record_of_a_collection_holds_its_own_related_records_with_the_nested_options()
    {
        var ann = await OwnerWithAccountsAsync("Ann", "a3", "a1", "a2", "skip a0");
        var bob = await OwnerWithAccountsAsync("Bob", "b1");
        var carl = await OwnerWithAccountsAsync("Carl");

        var json = await server.Admin.GetJsonAsync(
            $"systemusers?$select=lastname&$filter=endswith(lastname,'{_tag}')&$orderby=lastname" +
            $"&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name;$filter=not startswith(msdyn_name,'{_tag} skip');$orderby=msdyn_name desc;$top=2)");

        Assert.EndsWith("$metadata#systemusers(lastname,user_msdyn_ocwhatsappchannelaccount(msdyn_name))", json.GetProperty("@odata.context").GetString());
        var users = json.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal([ann, bob, carl], users.Select(u => u.GetProperty("systemuserid").GetGuid()));
        Assert.Equal([$"{_tag} a3", $"{_tag} a2"], Names(users[0], "user_msdyn_ocwhatsappchannelaccount"));
        Assert.Equal([$"{_tag} b1"], Names(users[1], "user_msdyn_ocwhatsappchannelaccount"));
        Assert.Empty(Names(users[2], "user_msdyn_ocwhatsappchannelaccount"));
        var nested = users[0].GetProperty("user_msdyn_ocwhatsappchannelaccount")[0];
        Assert.StartsWith("W/\"", nested.GetProperty("@odata.etag").GetString(), StringComparison.Ordinal);
        Assert.False(nested.TryGetProperty("_owninguser_value", out _));
        Assert.False(nested.TryGetProperty("versionnumber", out _));
    }

    [Fact]
    public async Task Each_expanded_collection_is_followed_by_a_nextLink_to_the_same_related_records_as_Dataverse_writes_it()
    {
        var owner = await OwnerWithAccountsAsync("Nia", "n2", "n1");

        var json = await server.Admin.GetJsonAsync(
            $"systemusers({owner})?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name;$orderby=msdyn_name)");

        var next = json.GetProperty("user_msdyn_ocwhatsappchannelaccount@odata.nextLink").GetString()!;
        Assert.Contains($"/systemusers({owner})/user_msdyn_ocwhatsappchannelaccount?", next, StringComparison.Ordinal);
        var followed = await server.Admin.GetJsonAsync(next);
        Assert.Equal(Names(json, "user_msdyn_ocwhatsappchannelaccount"), followed.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()));
        Assert.Equal([$"{_tag} n1", $"{_tag} n2"], Names(json, "user_msdyn_ocwhatsappchannelaccount"));
    }

    [Fact]
    public async Task A_one_to_many_collection_nests_inside_another_as_Dataverse_allows_and_many_to_many_does_not()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Nested " + _tag, server.Organization.RootBusinessUnitId);
        var ann = await Principals.AddAdministratorAsync(server.Store, "Ann", "A" + _tag, unit);
        var bob = await Principals.AddAdministratorAsync(server.Store, "Bob", "B" + _tag, unit);
        await server.Admin.CreateAccountAsync($"{_tag} ann's", $$""" "ownerid@odata.bind":"/systemusers({{ann}})" """);

        var json = await server.Admin.GetJsonAsync(
            $"businessunits({unit})?$select=name&$expand=business_unit_system_users($select=lastname;$filter=endswith(lastname,'{_tag}');" +
            "$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name))");

        var users = json.GetProperty("business_unit_system_users").EnumerateArray().ToDictionary(u => u.GetProperty("systemuserid").GetGuid());
        Assert.Equal([$"{_tag} ann's"], Names(users[ann], "user_msdyn_ocwhatsappchannelaccount"));
        Assert.Empty(Names(users[bob], "user_msdyn_ocwhatsappchannelaccount"));
        Assert.EndsWith($"/systemusers({ann})/user_msdyn_ocwhatsappchannelaccount?$select=msdyn_name",
            users[ann].GetProperty("user_msdyn_ocwhatsappchannelaccount@odata.nextLink").GetString());
        Assert.EndsWith("businessunits(name,business_unit_system_users(lastname,user_msdyn_ocwhatsappchannelaccount(msdyn_name)))/$entity",
            json.GetProperty("@odata.context").GetString());
        using var manyToMany = await server.Admin.SendAsync(HttpMethod.Get,
            $"businessunits({unit})?$expand=business_unit_teams($expand=teammembership_association($select=fullname))");
        Assert.Equal("0x80060888", (await manyToMany.ErrorAsync(HttpStatusCode.BadRequest)).Code);
    }

    [Fact]
    public async Task The_related_records_hold_their_own_expanded_lookups()
    {
        var owner = await OwnerWithAccountsAsync("Eve", "e1", "e2");

        var json = await server.Admin.GetJsonAsync(
            $"systemusers({owner})?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name;" +
            "$expand=owninguser($select=lastname;$expand=businessunitid($select=name)),createdby($select=fullname))");

        var related = json.GetProperty("user_msdyn_ocwhatsappchannelaccount").EnumerateArray().ToList();
        Assert.Equal([$"{_tag} e1", $"{_tag} e2"], related.Select(r => r.GetProperty("msdyn_name").GetString()).Order());
        Assert.All(related, r =>
        {
            Assert.Equal("Eve" + _tag, r.GetProperty("owninguser").GetProperty("lastname").GetString());
            Assert.Equal("ChannelAccounts", r.GetProperty("owninguser").GetProperty("businessunitid").GetProperty("name").GetString());
            Assert.Equal("System Administrator", r.GetProperty("createdby").GetProperty("fullname").GetString());
        });
        Assert.EndsWith("#systemusers(lastname,user_msdyn_ocwhatsappchannelaccount(msdyn_name,owninguser(lastname,businessunitid(name)),createdby(fullname)))/$entity",
            json.GetProperty("@odata.context").GetString());
    }

    [Theory]
    [InlineData("$orderby=msdyn_name")]
    [InlineData("$top=1")]
    public async Task Top_or_orderby_beside_a_nested_expand_is_400_as_Dataverse_allows_one_or_the_other(string option)
    {
        var owner = await OwnerWithAccountsAsync("Fay", "f1", "f2");

        using var response = await server.Admin.SendAsync(HttpMethod.Get,
            $"systemusers({owner})?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name;{option};$expand=owninguser($select=lastname))");

        Assert.Contains("nested $expand", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }

    [Fact]
    public async Task A_record_by_id_holds_its_many_to_many_related_records()
    {
        var unit = server.Organization.RootBusinessUnitId;
        var team = await Principals.AddTeamAsync(server.Store, "Expanded team " + _tag, unit);
        var member = await Principals.AddUserAsync(server.Store, "Team", "Member" + _tag, unit);
        await Principals.AddUserAsync(server.Store, "Not", "Member" + _tag, unit);
        await Principals.AddTeamMemberAsync(server.Store, team, member);

        var json = await server.Admin.GetJsonAsync($"teams({team})?$select=name&$expand=teammembership_association($select=lastname)");

        var user = Assert.Single(json.GetProperty("teammembership_association").EnumerateArray());
        Assert.Equal(member, user.GetProperty("systemuserid").GetGuid());
        Assert.Equal("Member" + _tag, user.GetProperty("lastname").GetString());
        Assert.Equal(["lastname", "ownerid", "systemuserid"], user.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('@')).Order()); // ownerid: the principal key
    }

    [Fact]
    public async Task The_related_records_are_only_those_the_caller_may_read()
    {
        var owner = await OwnerWithAccountsAsync("Dora", "d1");
        var reader = await Principals.AddUserAsync(server.Store, "Basic", "Reader" + _tag, server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, reader, SecurityCatalog.BasicUserRoleId);
        using var client = server.ClientFor(reader);

        var json = await client.GetJsonAsync($"systemusers({owner})?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name)");

        Assert.Empty(Names(json, "user_msdyn_ocwhatsappchannelaccount"));
        Assert.Single(Names(await server.Admin.GetJsonAsync($"systemusers({owner})?$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name)"),
            "user_msdyn_ocwhatsappchannelaccount"));
    }

    [Theory]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($count=true)")]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($expand=owninguser($top=1))")]
    [InlineData("businessunits?$select=name&$expand=business_unit_teams($expand=teammembership_association)")]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($expand=$ref)")]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($select=nope)")]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($top=0)")]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($orderby=msdyn_authenticationtoken)")]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($filter=msdyn_authenticationtoken ne null)")]
    [InlineData("systemusers?$select=lastname&$expand=teammembership_association($select=ownerid)")]
    [InlineData("teams?$select=name&$expand=teammembership_association($filter=$it/name eq 'x')")]
    [InlineData("teams?$select=name&$expand=teammembership_association($orderby=$it/name)")]
    [InlineData("teams?$select=ownerid")]
    [InlineData("systemusers?$expand=*")]
    [InlineData("systemusers?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($top=5001)")]
    public async Task A_mistake_in_an_expansion_is_a_whole_400_error_body_never_a_cut_off_answer(string url)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, url);

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("0x", code, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public async Task A_create_asking_for_a_collection_expansion_is_refused_before_anything_is_written()
    {
        var name = "Expanded team " + _tag;
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "teams?$expand=team_msdyn_ocwhatsappchannelaccount($select=msdyn_name)",
            $$"""{"name":"{{name}}","businessunitid@odata.bind":"/businessunits({{server.Organization.RootBusinessUnitId}})"}""", ("Prefer", "return=representation"));

        await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await server.Admin.GetJsonAsync($"teams?$select=name&$filter=name eq '{name}'")).GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task A_patch_asking_for_a_collection_expansion_is_refused_before_anything_is_written()
    {
        var owner = await OwnerWithAccountsAsync("Ulla", "u1");
        var newId = Guid.NewGuid();
        const string Expand = "?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name)";

        using var update = await server.Admin.SendAsync(HttpMethod.Patch, $"systemusers({owner}){Expand}", """{"firstname":"Ulrike"}""",
            ("Prefer", "return=representation"));
        using var upsert = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({newId})?$expand=ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage",
            """{"msdyn_name":"never"}""", ("Prefer", "return=representation"));

        await update.ErrorAsync(HttpStatusCode.BadRequest);
        await upsert.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Expanded", (await server.Admin.GetJsonAsync($"systemusers({owner})?$select=firstname")).GetProperty("firstname").GetString());
        using var missing = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({newId})");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Past_a_page_of_related_records_each_record_still_gets_its_own_top_and_a_list_too_long_gets_a_nextLink()
    {
        var few = await OwnerWithAccountsAsync("Few", "f1", "f2");
        var owner = await Principals.AddAdministratorAsync(server.Store, "Many", "Accounts" + _tag, server.Organization.RootBusinessUnitId);
        for (var call = 0; call < 21; call++) // 5,250 related records, in bodies under the fixture's 64 KB limit
        {
            var targets = string.Join(',', Enumerable.Range(0, 250).Select(i =>
                $$"""{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_name":"{{_tag}} bulk {{call}}-{{i}}","ownerid@odata.bind":"/systemusers({{owner}})"}"""));
            using var created = await server.Admin.SendAsync(HttpMethod.Post, $"{Accounts}/Microsoft.Dynamics.CRM.CreateMultiple", $$"""{"Targets":[{{targets}}]}""");
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        var users = $"systemusers?$select=lastname&$filter=endswith(lastname,'{_tag}')&$orderby=lastname";
        var topped = (await server.Admin.GetJsonAsync(users + "&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name;$orderby=msdyn_name;$top=1)"))
            .GetProperty("value").EnumerateArray().ToList();
        // An '&' and '=' inside a literal and a parameter alias, both carried into the nextLink.
        var json = await server.Admin.GetJsonAsync(
            $"systemusers({owner})?$select=lastname&$expand=user_msdyn_ocwhatsappchannelaccount($select=msdyn_name;$filter=startswith(msdyn_name,@tag) and msdyn_name ne 'a%26b%3Dc')&@tag='{_tag}'");

        Assert.Equal([owner, few], topped.Select(u => u.GetProperty("systemuserid").GetGuid())); // lastname "Accounts…" before "Few…"
        Assert.Equal([$"{_tag} bulk 0-0"], Names(topped[0], "user_msdyn_ocwhatsappchannelaccount"));
        Assert.Equal([$"{_tag} f1"], Names(topped[1], "user_msdyn_ocwhatsappchannelaccount"));
        Assert.Empty(json.GetProperty("user_msdyn_ocwhatsappchannelaccount").EnumerateArray());
        var next = json.GetProperty("user_msdyn_ocwhatsappchannelaccount@odata.nextLink").GetString()!;
        Assert.StartsWith($"{server.Admin.BaseAddress}systemusers({owner})/user_msdyn_ocwhatsappchannelaccount?$select=msdyn_name&$filter=", next, StringComparison.Ordinal);
        var first = await server.Admin.GetJsonAsync(next, ("Prefer", "odata.maxpagesize=5000"));
        Assert.Equal(5000, first.GetProperty("value").GetArrayLength());
        Assert.All(first.GetProperty("value").EnumerateArray(), r => Assert.StartsWith(_tag, r.GetProperty("msdyn_name").GetString(), StringComparison.Ordinal));
        Assert.True(first.TryGetProperty("@odata.nextLink", out _));
    }
}

public sealed class CollectionExpansionsTestsOnSqlite(SqliteServerFixture server) : CollectionExpansionsTests(server), IClassFixture<SqliteServerFixture>;

public sealed class CollectionExpansionsTestsOnPostgres(PostgresServerFixture server) : CollectionExpansionsTests(server), IClassFixture<PostgresServerFixture>;
