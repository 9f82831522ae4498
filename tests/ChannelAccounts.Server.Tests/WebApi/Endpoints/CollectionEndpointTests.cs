using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

public abstract class CollectionEndpointTests(IServerFixture server)
{
    private readonly string _tag = "T" + Guid.NewGuid().ToString("N")[..8];

    private string Tagged(string filter = "") => $"startswith(msdyn_name,'{_tag}'){(filter.Length > 0 ? " and " + filter : "")}";

    private async Task<List<string>> NamesAsync(string query, params (string, string)[] headers)
    {
        var body = await server.Admin.GetJsonAsync($"{Accounts}?{query}", headers);
        return body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()!).ToList();
    }

    private async Task SeedAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await server.Admin.CreateAccountAsync(_tag + name);
        }
    }

    [Fact]
    public async Task Filter_orderby_and_select_return_the_matching_rows_in_order()
    {
        await SeedAsync(" charlie", " alpha", " bravo", " delta");

        var names = await NamesAsync($"$select=msdyn_name&$filter={Tagged("msdyn_name ne '" + _tag + " delta'")}&$orderby=msdyn_name desc");

        Assert.Equal([_tag + " charlie", _tag + " bravo", _tag + " alpha"], names);
    }

    [Fact]
    public async Task String_filters_are_case_insensitive()
    {
        await SeedAsync(" MiXeD Case");

        Assert.Single(await NamesAsync($"$filter=msdyn_name eq '{_tag.ToLowerInvariant()} mixed case'"));
        Assert.Single(await NamesAsync($"$filter={Tagged("contains(msdyn_name,'XED C')")}"));
        Assert.Single(await NamesAsync($"$filter={Tagged("endswith(msdyn_name,'CASE')")}"));
    }

    [Fact]
    public async Task String_filters_ignore_the_case_of_letters_beyond_ASCII_too()
    {
        // SQLite's NOCASE and LIKE fold only A-Z; Dataverse's collation folds É, Ñ, Ж as well.
        await SeedAsync(" Béta Ñandú Жук");

        Assert.Single(await NamesAsync($"$filter=msdyn_name eq '{_tag} BÉTA ÑANDÚ ЖУК'"));
        Assert.Single(await NamesAsync($"$filter=Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name',PropertyValues=['x','{_tag} béta ñandú жук'])"));
        Assert.Empty(await NamesAsync($"$filter={Tagged($"msdyn_name ne '{_tag} BÉTA ñANDÚ жУК'")}"));
        Assert.Single(await NamesAsync($"$filter={Tagged("contains(msdyn_name,'ÑANDÚ')")}"));
        Assert.Single(await NamesAsync($"$filter={Tagged("endswith(msdyn_name,'жук')")}"));
        Assert.Single(await NamesAsync($"$filter=startswith(msdyn_name,'{_tag} BÉ')"));
    }

    [Fact]
    public async Task Filter_supports_and_or_not_parentheses_and_null()
    {
        await SeedAsync(" one", " two", " three");
        var withVersion = await server.Admin.CreateAccountAsync(_tag + " four", "\"timezoneruleversionnumber\":4");

        Assert.Equal([_tag + " one", _tag + " two"], (await NamesAsync($"$filter={Tagged($"(msdyn_name eq '{_tag} one' or msdyn_name eq '{_tag} two')")}&$orderby=msdyn_name")).Order());
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("timezoneruleversionnumber eq null")}")).Count);
        Assert.Equal([_tag + " four"], await NamesAsync($"$filter={Tagged("timezoneruleversionnumber ne null")}"));
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged($"not (msdyn_name eq '{_tag} one')")}")).Count);
        Assert.NotEqual(Guid.Empty, withVersion);
    }

    [Fact]
    public async Task Dataverse_query_functions_filter_rows()
    {
        await SeedAsync(" in-a", " in-b", " in-c");
        var admin = server.Organization.AdminUserId;

        Assert.Equal(2, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name',PropertyValues=['" + _tag + " in-a','" + _tag + " in-c'])")}")).Count);
        Assert.Equal(2, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.In(PropertyName=@p1,PropertyValues=@p2)")}&@p1='msdyn_name'&@p2=[\"{_tag} in-a\",\"{_tag} in-b\"]")).Count);
        Assert.Single(await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.NotIn(PropertyName='msdyn_name',PropertyValues=['" + _tag + " in-a','" + _tag + " in-c'])")}"));
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.Today(PropertyName='createdon')")}")).Count);
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=1)")}")).Count);
        Assert.Empty(await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.NextXDays(PropertyName='overriddencreatedon',PropertyValue=3)")}"));
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.EqualUserId(PropertyName='ownerid')")}")).Count);
        Assert.Empty(await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.NotEqualUserId(PropertyName='ownerid')")}"));
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.EqualBusinessId(PropertyName='owningbusinessunit')")}")).Count);
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged($"_ownerid_value eq {admin}")}")).Count);
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.Between(PropertyName='statuscode',PropertyValues=['1','2'])")}")).Count);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged($"Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='{today}')")}")).Count);
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged($"Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='createdon',PropertyValue='{today}')")}")).Count);
        Assert.Empty(await NamesAsync($"$filter={Tagged($"Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue='{DateTime.UtcNow.AddDays(2):yyyy-MM-dd}')")}"));
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.ThisYear(PropertyName='createdon')")}")).Count);
        Assert.Empty(await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.LastMonth(PropertyName='createdon')")}"));
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.LastXHours(PropertyName='createdon',PropertyValue=1)")}")).Count);
        Assert.Empty(await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.OlderThanXHours(PropertyName='createdon',PropertyValue=1)")}"));
        Assert.Empty(await NamesAsync($"$filter={Tagged($"Microsoft.Dynamics.CRM.NotOn(PropertyName='createdon',PropertyValue='{today}')")}"));
        Assert.Empty(await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.EqualUserTeams(PropertyName='ownerid')")}"));
        Assert.Equal(3, (await NamesAsync($"$filter={Tagged("Microsoft.Dynamics.CRM.EqualUserOrUserTeams(PropertyName='ownerid')")}")).Count);
    }

    [Fact]
    public async Task A_filter_on_a_lookups_record_follows_the_lookup_and_pages_and_counts_like_any_filter()
    {
        var owner = await Principals.AddAdministratorAsync(server.Store, "Nadia", "Navigator" + _tag, server.Organization.RootBusinessUnitId);
        foreach (var name in new[] { "nav-a", "nav-b", "nav-c" })
        {
            await server.Admin.CreateAccountAsync($"{_tag} {name}", $$""" "ownerid@odata.bind":"/systemusers({{owner}})" """);
        }
        await server.Admin.CreateAccountAsync($"{_tag} nav-admin");

        var names = new List<string>();
        string? url = $"{Accounts}?$select=msdyn_name&$count=true&$orderby=msdyn_name&$filter={Tagged($"owninguser/lastname eq 'Navigator{_tag}'")}";
        var first = true;
        while (url is not null)
        {
            var page = await server.Admin.GetJsonAsync(url, ("Prefer", "odata.maxpagesize=2"));
            if (first)
            {
                Assert.Equal(3, page.GetProperty("@odata.count").GetInt32());
                first = false;
            }
            names.AddRange(page.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()!));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal(new[] { "nav-a", "nav-b", "nav-c" }.Select(n => $"{_tag} {n}"), names);
        Assert.Equal([$"{_tag} nav-admin"], await NamesAsync($"$filter={Tagged("startswith(owninguser/fullname,'System Admin')")}"));
        Assert.Equal(4, (await NamesAsync($"$filter={Tagged("owningteam/name eq null")}")).Count);
        Assert.Empty(await NamesAsync($"$filter={Tagged("owningbusinessunit/name eq null")}"));
    }

    [Fact]
    public async Task A_filter_follows_a_path_of_lookups_to_the_record_at_its_end()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Far unit " + _tag, server.Organization.RootBusinessUnitId);
        var owner = await Principals.AddAdministratorAsync(server.Store, "Faye", "Faraway" + _tag, unit);
        await server.Admin.CreateAccountAsync($"{_tag} far", $$""" "ownerid@odata.bind":"/systemusers({{owner}})" """);
        await server.Admin.CreateAccountAsync($"{_tag} near");

        Assert.Equal([$"{_tag} far"], await NamesAsync($"$filter={Tagged($"owninguser/businessunitid/name eq 'Far unit {_tag}'")}"));
        Assert.Equal([$"{_tag} near"], await NamesAsync($"$filter={Tagged($"owninguser/businessunitid/name ne 'Far unit {_tag}'")}"));
        // Three lookups: the owner's unit's parent is the root unit for "far"; the root unit, which owns "near", has none.
        Assert.Equal([$"{_tag} far"], await NamesAsync($"$filter={Tagged("owninguser/businessunitid/parentbusinessunitid/name eq 'ChannelAccounts'")}"));
        Assert.Equal([$"{_tag} near"], await NamesAsync($"$filter={Tagged("owninguser/businessunitid/parentbusinessunitid/name eq null")}"));
    }

    [Fact]
    public async Task Top_limits_the_rows_and_count_counts_all_matches()
    {
        await SeedAsync(" 1", " 2", " 3", " 4", " 5");

        var body = await server.Admin.GetJsonAsync($"{Accounts}?$filter={Tagged()}&$top=2&$count=true&$orderby=msdyn_name");

        Assert.Equal(5, body.GetProperty("@odata.count").GetInt32());
        Assert.Equal(2, body.GetProperty("value").GetArrayLength());
        Assert.False(body.TryGetProperty("@odata.nextLink", out _));
    }

    [Fact]
    public async Task Count_segment_returns_the_number_as_text()
    {
        await SeedAsync(" a", " b");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}/$count?$filter={Tagged()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.ContentType()?.MediaType);
        Assert.Equal("2", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Maxpagesize_pages_with_nextLink_until_every_row_was_seen_once()
    {
        var expected = Enumerable.Range(0, 23).Select(i => $"{_tag} {i:D2}").ToList();
        foreach (var name in expected)
        {
            await server.Admin.CreateAccountAsync(name);
        }

        var seen = new List<string>();
        string? url = $"{Accounts}?$select=msdyn_name&$filter={Tagged()}&$orderby=msdyn_name";
        var pages = 0;
        while (url is not null)
        {
            using var response = await server.Admin.SendAsync(HttpMethod.Get, url, null, ("Prefer", "odata.maxpagesize=5"));
            Assert.Equal("odata.maxpagesize=5", response.Header("Preference-Applied"));
            var body = await response.JsonAsync();
            seen.AddRange(body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()!));
            url = body.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            if (url is not null)
            {
                Assert.Contains("$skiptoken=", url);
                Assert.Contains("%3Ccookie%20pagenumber%3D%22", url.Replace("+", "%20"));
            }

            pages++;
        }

        Assert.Equal(expected, seen);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task A_row_changed_between_pages_is_neither_skipped_nor_repeated()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            ids.Add(await server.Admin.CreateAccountAsync($"{_tag} {i:D2}"));
        }

        var first = await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name,msdyn_twilioinboundurl&$filter={Tagged()}", ("Prefer", "odata.maxpagesize=4"));
        var seen = first.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid()).ToList();
        foreach (var id in ids)
        {
            await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_twilioinboundurl":"https://changed.test"}""");
        }

        var url = first.GetProperty("@odata.nextLink").GetString();
        while (url is not null)
        {
            var page = await server.Admin.GetJsonAsync(url, ("Prefer", "odata.maxpagesize=4"));
            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid()));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal(ids.Order(), seen.Order());
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Skip_is_refused_with_400()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?$skip=10");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("$skip", message);
    }

    [Fact]
    public async Task A_tampered_skiptoken_is_400()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get,
            $"{Accounts}?$skiptoken=" + Uri.EscapeDataString("<cookie pagenumber=\"2\" pagingcookie=\"garbage\" istracking=\"False\" />"));

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Expand_in_a_collection_nests_each_rows_related_record()
    {
        await SeedAsync(" expand");

        var body = await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter={Tagged()}&$expand=owninguser($select=fullname)");

        var row = body.GetProperty("value")[0];
        Assert.Equal("System Administrator", row.GetProperty("owninguser").GetProperty("fullname").GetString());
        Assert.EndsWith("#msdyn_ocwhatsappchannelaccounts(msdyn_name,owninguser,owninguser(fullname))", body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task A_nested_expand_in_a_collection_nests_the_related_records_lookup_in_each_row()
    {
        await SeedAsync(" nested expand");

        var body = await server.Admin.GetJsonAsync(
            $"{Accounts}?$select=msdyn_name&$filter={Tagged()}&$expand=owninguser($select=fullname;$expand=businessunitid($select=name))");

        var rows = body.GetProperty("value").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, row => Assert.Equal("ChannelAccounts",
            row.GetProperty("owninguser").GetProperty("businessunitid").GetProperty("name").GetString()));
        Assert.EndsWith("#msdyn_ocwhatsappchannelaccounts(msdyn_name,owninguser,owninguser(fullname,businessunitid(name)))",
            body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Annotations_are_written_when_asked_for()
    {
        await SeedAsync(" annotated");

        using var response = await server.Admin.SendAsync(HttpMethod.Get,
            $"{Accounts}?$select=msdyn_name,statecode,_ownerid_value,createdon&$filter={Tagged()}&$count=true", null,
            ("Prefer", "odata.include-annotations=\"*\""));

        Assert.Contains("odata.include-annotations", response.Header("Preference-Applied"));
        var body = await response.JsonAsync();
        var row = body.GetProperty("value")[0];
        Assert.Equal("Active", row.GetProperty("statecode@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("System Administrator", row.GetProperty("_ownerid_value@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("systemuser", row.GetProperty("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        Assert.Equal("ownerid", row.GetProperty("_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty").GetString());
        Assert.True(row.TryGetProperty("createdon@OData.Community.Display.V1.FormattedValue", out _));
        Assert.Equal(1, body.GetProperty("@Microsoft.Dynamics.CRM.totalrecordcount").GetInt32());
        Assert.False(body.GetProperty("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded").GetBoolean());
    }

    [Fact]
    public async Task An_annotation_list_with_a_trailing_comma_is_still_honoured()
    {
        await SeedAsync(" trailing");

        var body = await server.Admin.GetJsonAsync($"{Accounts}?$select=statecode&$filter={Tagged()}", ("Prefer", "odata.include-annotations=\"*,\""));

        Assert.Equal("Active", body.GetProperty("value")[0].GetProperty("statecode@OData.Community.Display.V1.FormattedValue").GetString());
    }

    [Fact]
    public async Task Without_the_prefer_header_no_annotations_are_written()
    {
        await SeedAsync(" plain");

        var body = await server.Admin.GetJsonAsync($"{Accounts}?$select=statecode&$filter={Tagged()}");

        Assert.DoesNotContain(body.GetProperty("value")[0].EnumerateObject(), p => p.Name.Contains("@OData.Community"));
    }

    [Fact]
    public async Task Only_formatted_values_when_only_they_are_asked_for()
    {
        await SeedAsync(" formatted");

        var body = await server.Admin.GetJsonAsync($"{Accounts}?$select=statuscode,_ownerid_value&$filter={Tagged()}",
            ("Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""));

        var row = body.GetProperty("value")[0];
        Assert.Equal("Active", row.GetProperty("statuscode@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.False(row.TryGetProperty("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", out _));
    }

    [Fact]
    public async Task Rows_carry_their_etag_even_when_versionnumber_is_not_selected()
    {
        await SeedAsync(" selected etag");

        var row = (await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter={Tagged()}")).GetProperty("value")[0];

        Assert.StartsWith("W/\"", row.GetProperty("@odata.etag").GetString());
        Assert.False(row.TryGetProperty("versionnumber", out _));
    }

    [Fact]
    public async Task Text_is_written_without_needless_escapes()
    {
        await SeedAsync(" O'Brien <&>");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?$select=msdyn_name&$filter={Tagged()}");

        Assert.Contains("O'Brien <&>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rows_carry_their_etag()
    {
        await SeedAsync(" etag");

        var row = (await server.Admin.GetJsonAsync($"{Accounts}?$filter={Tagged()}")).GetProperty("value")[0];

        Assert.Equal($"W/\"{row.GetProperty("versionnumber").GetInt64()}\"", row.GetProperty("@odata.etag").GetString());
        Assert.Equal(JsonValueKind.String, row.GetProperty("msdyn_ocwhatsappchannelaccountid").ValueKind);
    }
}

public sealed class CollectionEndpointTestsOnSqlite(SqliteServerFixture server) : CollectionEndpointTests(server), IClassFixture<SqliteServerFixture>;

public sealed class CollectionEndpointTestsOnPostgres(PostgresServerFixture server) : CollectionEndpointTests(server), IClassFixture<PostgresServerFixture>;
