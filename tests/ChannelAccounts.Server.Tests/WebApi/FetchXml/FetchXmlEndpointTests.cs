using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.FetchXml;

public abstract class FetchXmlEndpointTests(IServerFixture server)
{
    private const string AllAnnotations = "odata.include-annotations=\"*\"";
    private readonly string _tag = "F" + Guid.NewGuid().ToString("N")[..8];

    private string TagCondition => $"<condition attribute='msdyn_name' operator='begins-with' value='{_tag}' />";

    private string Fetch(string inner, string fetchAttributes = "", string entityChildren = "<attribute name='msdyn_name' /><order attribute='msdyn_name' />") =>
        $"<fetch {fetchAttributes}><entity name='msdyn_ocwhatsappchannelaccount'>{entityChildren}<filter>{TagCondition}{inner}</filter></entity></fetch>";

    private static string Url(string fetch) => $"{Accounts}?fetchXml={Uri.EscapeDataString(fetch)}";

    private async Task<List<string>> NamesAsync(string filter) =>
        (await server.Admin.GetJsonAsync(Url(Fetch(filter)))).GetProperty("value").EnumerateArray()
        .Select(r => r.GetProperty("msdyn_name").GetString()![(_tag.Length + 1)..]).ToList();

    private async Task SeedAsync()
    {
        var i = 1;
        foreach (var name in new[] { "alpha", "bravo", "charlie", "delta" })
        {
            await server.Admin.CreateAccountAsync($"{_tag} {name}", $"\"importsequencenumber\":{i++ * 10}" +
                (name == "delta" ? ",\"timezoneruleversionnumber\":4" : ""));
        }
    }

    [Fact]
    public async Task Distinct_without_the_id_returns_each_combination_of_the_asked_columns_once_and_no_id()
    {
        await SeedAsync(); // four records: timezoneruleversionnumber 4 on one, empty on three; all Active

        var combinations = (await server.Admin.GetJsonAsync(Url(Fetch("", "distinct='true'",
            "<attribute name='timezoneruleversionnumber' /><attribute name='statecode' />")))).GetProperty("value").EnumerateArray().ToList();
        var records = (await server.Admin.GetJsonAsync(Url(Fetch("", "distinct='true'",
            "<attribute name='statecode' /><attribute name='msdyn_ocwhatsappchannelaccountid' />")))).GetProperty("value").EnumerateArray().ToList();

        Assert.Equal([null, 4], combinations.Select(r => r.TryGetProperty("timezoneruleversionnumber", out var v) ? v.GetInt32() : (int?)null));
        Assert.All(combinations, r =>
        {
            Assert.Equal(0, r.GetProperty("statecode").GetInt32());
            Assert.False(r.TryGetProperty("msdyn_ocwhatsappchannelaccountid", out _));
            Assert.False(r.TryGetProperty("@odata.etag", out _));
        });
        Assert.Equal(4, records.Count); // with the id among the columns, every record is distinct
    }

    [Fact]
    public async Task Distinct_values_come_only_from_records_the_caller_may_read()
    {
        await SeedAsync();
        var user = await Principals.AddUserAsync(server.Store, "Dina", "Distinct" + _tag, server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, Engine.Security.SecurityCatalog.BasicUserRoleId);
        await server.Admin.CreateAccountAsync($"{_tag} echo", $"\"importsequencenumber\":99,\"ownerid@odata.bind\":\"/systemusers({user})\"");

        var rows = (await server.ClientFor(user).GetJsonAsync(Url(Fetch("", "distinct='true'", "<attribute name='importsequencenumber' />"))))
            .GetProperty("value").EnumerateArray().ToList();

        Assert.Equal([99], rows.Select(r => r.GetProperty("importsequencenumber").GetInt32()));
    }

    [Fact]
    public async Task Every_comparison_and_text_operator_filters_rows()
    {
        await SeedAsync();

        Assert.Equal(["bravo"], await NamesAsync("<condition attribute='importsequencenumber' operator='eq' value='20' />"));
        Assert.Equal(["alpha", "charlie", "delta"], await NamesAsync("<condition attribute='importsequencenumber' operator='ne' value='20' />"));
        Assert.Equal(["charlie", "delta"], await NamesAsync("<condition attribute='importsequencenumber' operator='gt' value='20' />"));
        Assert.Equal(["bravo", "charlie", "delta"], await NamesAsync("<condition attribute='importsequencenumber' operator='ge' value='20' />"));
        Assert.Equal(["alpha"], await NamesAsync("<condition attribute='importsequencenumber' operator='lt' value='20' />"));
        Assert.Equal(["alpha", "bravo"], await NamesAsync("<condition attribute='importsequencenumber' operator='le' value='20' />"));
        Assert.Equal(["charlie"], await NamesAsync("<condition attribute='msdyn_name' operator='like' value='%CHAR%' />"));
        Assert.Equal(["alpha", "bravo", "delta"], await NamesAsync("<condition attribute='msdyn_name' operator='not-like' value='%char%' />"));
        Assert.Equal(["alpha", "charlie", "delta"], await NamesAsync($"<condition attribute='msdyn_name' operator='not-begin-with' value='{_tag} b' />"));
        Assert.Equal(["delta"], await NamesAsync("<condition attribute='msdyn_name' operator='ends-with' value='ta' />"));
        Assert.Equal(["alpha", "bravo", "charlie"], await NamesAsync("<condition attribute='msdyn_name' operator='not-end-with' value='ta' />"));
        Assert.Equal(["alpha", "delta"], await NamesAsync("<condition attribute='importsequencenumber' operator='in'><value>10</value><value>40</value></condition>"));
        Assert.Equal(["bravo", "charlie"], await NamesAsync("<condition attribute='importsequencenumber' operator='not-in'><value>10</value><value>40</value></condition>"));
        Assert.Equal(["bravo", "charlie"], await NamesAsync("<condition attribute='importsequencenumber' operator='between'><value>20</value><value>30</value></condition>"));
        Assert.Equal(["alpha", "delta"], await NamesAsync("<condition attribute='importsequencenumber' operator='not-between'><value>20</value><value>30</value></condition>"));
        Assert.Equal(["alpha", "bravo", "charlie"], await NamesAsync("<condition attribute='timezoneruleversionnumber' operator='null' />"));
        Assert.Equal(["delta"], await NamesAsync("<condition attribute='timezoneruleversionnumber' operator='not-null' />"));
    }

    [Fact]
    public async Task User_business_unit_and_date_operators_filter_rows()
    {
        await SeedAsync();
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");

        Assert.Equal(4, (await NamesAsync("<condition attribute='ownerid' operator='eq-userid' />")).Count);
        Assert.Empty(await NamesAsync("<condition attribute='ownerid' operator='ne-userid' />"));
        Assert.Equal(4, (await NamesAsync("<condition attribute='owningbusinessunit' operator='eq-businessid' />")).Count);
        Assert.Equal(4, (await NamesAsync("<condition attribute='createdon' operator='today' />")).Count);
        Assert.Empty(await NamesAsync("<condition attribute='createdon' operator='yesterday' />"));
        Assert.Empty(await NamesAsync("<condition attribute='createdon' operator='tomorrow' />"));
        Assert.Equal(4, (await NamesAsync("<condition attribute='createdon' operator='last-seven-days' />")).Count);
        Assert.Empty(await NamesAsync("<condition attribute='overriddencreatedon' operator='next-seven-days' />"));
        Assert.Equal(4, (await NamesAsync("<condition attribute='createdon' operator='last-x-days' value='2' />")).Count);
        Assert.Empty(await NamesAsync("<condition attribute='overriddencreatedon' operator='next-x-days' value='2' />"));
        Assert.Equal(4, (await NamesAsync($"<condition attribute='createdon' operator='on' value='{today}' />")).Count);
        Assert.Equal(4, (await NamesAsync($"<condition attribute='createdon' operator='on-or-after' value='{today}' />")).Count);
        Assert.Equal(4, (await NamesAsync($"<condition attribute='createdon' operator='on-or-before' value='{today}' />")).Count);
        Assert.Equal(4, (await NamesAsync("<condition attribute='createdon' operator='this-month' />")).Count);
        Assert.Empty(await NamesAsync("<condition attribute='createdon' operator='next-year' />"));
        Assert.Equal(4, (await NamesAsync("<condition attribute='createdon' operator='last-x-hours' value='1' />")).Count);
        Assert.Empty(await NamesAsync("<condition attribute='createdon' operator='olderthan-x-minutes' value='30' />"));
        Assert.Empty(await NamesAsync($"<condition attribute='createdon' operator='not-on' value='{today}' />"));
        Assert.Equal(4, (await NamesAsync("<condition attribute='ownerid' operator='eq-useroruserteams' />")).Count);
    }

    [Fact]
    public async Task Nested_and_or_filters_order_and_top_shape_the_result()
    {
        await SeedAsync();
        var nested = "<filter type='or'><condition attribute='importsequencenumber' operator='eq' value='10' />" +
                     "<filter type='and'><condition attribute='importsequencenumber' operator='gt' value='20' />" +
                     "<condition attribute='timezoneruleversionnumber' operator='null' /></filter></filter>";
        Assert.Equal(["alpha", "charlie"], await NamesAsync(nested));

        var fetch = Fetch("", "top='2'", "<attribute name='msdyn_name' /><order attribute='importsequencenumber' descending='true' />");
        var names = (await server.Admin.GetJsonAsync(Url(fetch))).GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString());
        Assert.Equal([_tag + " delta", _tag + " charlie"], names);
    }

    [Fact]
    public async Task Rows_omit_null_columns()
    {
        await SeedAsync();
        var fetch = Fetch("<condition attribute='importsequencenumber' operator='eq' value='10' />", "",
            "<attribute name='msdyn_name' /><attribute name='timezoneruleversionnumber' /><attribute name='importsequencenumber' />");

        var row = (await server.Admin.GetJsonAsync(Url(fetch))).GetProperty("value")[0];

        Assert.False(row.TryGetProperty("timezoneruleversionnumber", out _));
        Assert.Equal(10, row.GetProperty("importsequencenumber").GetInt32());
    }

    [Fact]
    public async Task Count_page_and_paging_cookie_walk_every_row_once_with_the_total_count()
    {
        await SeedAsync();
        await SeedAsync();
        var seen = new List<string>();
        string? cookie = null;
        for (var page = 1; page < 10; page++)
        {
            var paging = $"count='3' page='{page}' returntotalrecordcount='true'" +
                         (cookie is null ? "" : $" paging-cookie='{System.Security.SecurityElement.Escape(cookie)}'");
            var body = await server.Admin.GetJsonAsync(Url(Fetch("", paging)), ("Prefer", AllAnnotations));
            seen.AddRange(body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_ocwhatsappchannelaccountid").GetString()!));
            Assert.Equal(8, body.GetProperty("@Microsoft.Dynamics.CRM.totalrecordcount").GetInt32());
            if (!body.TryGetProperty("@Microsoft.Dynamics.CRM.morerecords", out var more))
            {
                Assert.False(body.TryGetProperty("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie", out _));
                break;
            }

            Assert.True(more.GetBoolean());
            cookie = body.GetProperty("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie").GetString()!;
            Assert.StartsWith($"<cookie pagenumber=\"{page + 1}\" pagingcookie=\"%253ccookie%2520page%253d%2522{page}%2522", cookie);
        }

        Assert.Equal(8, seen.Count);
        Assert.Equal(8, seen.Distinct().Count());
    }

    [Fact]
    public async Task The_inner_paging_cookie_has_dataverses_shape_that_clients_read_the_page_from_and_send_back()
    {
        // As Xrm-WebApi-Client pages: decode pagingcookie twice, read the page with <cookie page="(\d+)">, and send
        // the decoded inner cookie back in paging-cookie with the next page's number.
        await SeedAsync();
        await SeedAsync();
        var seen = new List<string>();
        var paging = "count='3'";
        for (var request = 1; request < 10; request++)
        {
            var body = await server.Admin.GetJsonAsync(Url(Fetch("", paging)), ("Prefer", AllAnnotations));
            seen.AddRange(body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_ocwhatsappchannelaccountid").GetString()!));
            if (!body.TryGetProperty("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie", out var annotation))
            {
                break;
            }

            var encoded = Regex.Match(annotation.GetString()!, "pagingcookie=\"([^\"]*)\"").Groups[1].Value;
            var inner = Uri.UnescapeDataString(Uri.UnescapeDataString(encoded));
            var page = Regex.Match(inner, "^<cookie page=\"([\\d]+)\"><[a-z]+ last=\"[^\"]+\" /></cookie>$");
            Assert.True(page.Success, inner);
            Assert.Equal(request.ToString(CultureInfo.InvariantCulture), page.Groups[1].Value);
            paging = $"count='3' page='{request + 1}' paging-cookie='{System.Security.SecurityElement.Escape(inner)}'";
        }

        Assert.Equal(8, seen.Count);
        Assert.Equal(8, seen.Distinct().Count());
    }

    [Fact]
    public async Task A_link_that_repeats_records_pages_by_page_number_and_walks_every_row_once()
    {
        // Two units with 3 and 2 users: five (unit, user) rows, and a page of 2 ends inside the first unit's users.
        var root = server.Organization.RootBusinessUnitId;
        var units = new[] { await Principals.AddBusinessUnitAsync(server.Store, _tag + " a", root), await Principals.AddBusinessUnitAsync(server.Store, _tag + " b", root) };
        var users = new List<Guid>();
        foreach (var (unit, count) in new[] { (units[0], 3), (units[1], 2) })
        {
            for (var i = 0; i < count; i++)
            {
                users.Add(await Principals.AddUserAsync(server.Store, "Paged", $"{_tag}{i}", unit));
            }
        }

        var rows = await AllPagesAsync("businessunits", (page, cookie) =>
            $"<fetch count='2' page='{page}'" + (cookie is null ? "" : $" paging-cookie='{System.Security.SecurityElement.Escape(cookie)}'") + ">" +
            "<entity name='businessunit'><attribute name='name'/><order attribute='name'/>" +
            $"<filter><condition attribute='name' operator='begins-with' value='{_tag}'/></filter>" +
            "<link-entity name='systemuser' from='businessunitid' to='businessunitid' link-type='outer' alias='u'><attribute name='systemuserid'/></link-entity>" +
            "</entity></fetch>");

        Assert.Equal(users.Order(), rows.Select(r => r.GetProperty("u_x002e_systemuserid").GetGuid()).Order());
    }

    [Fact]
    public async Task Rows_order_by_a_link_entitys_order_after_the_entitys_and_page_by_number()
    {
        // Two units of users: ordered by unit name descending (an order naming the link), then by last name (the link's own).
        var root = server.Organization.RootBusinessUnitId;
        var expected = new List<Guid>();
        foreach (var unitName in new[] { "b", "a" })
        {
            var unit = await Principals.AddBusinessUnitAsync(server.Store, $"{_tag} {unitName}", root);
            foreach (var last in new[] { "y", "x" })
            {
                expected.Add(await Principals.AddUserAsync(server.Store, "Ordered", $"{_tag}{unitName}{last}", unit));
            }
        }

        expected = [expected[1], expected[0], expected[3], expected[2]]; // b: x, y; a: x, y
        var rows = await AllPagesAsync("systemusers", (page, _) =>
            $"<fetch count='3' page='{page}'><entity name='systemuser'><attribute name='lastname'/>" +
            "<order entityname='unit' attribute='name' descending='true'/>" +
            $"<filter><condition attribute='lastname' operator='begins-with' value='{_tag}'/></filter>" +
            "<link-entity name='businessunit' from='businessunitid' to='businessunitid' alias='unit'><attribute name='name'/></link-entity>" +
            "<link-entity name='systemuser' from='systemuserid' to='systemuserid' alias='self'><order attribute='lastname'/></link-entity>" +
            "</entity></fetch>");

        Assert.Equal(expected, rows.Select(r => r.GetProperty("systemuserid").GetGuid()));
    }

    /// <summary>
    /// Every row of a FetchXML query paged by page number: each page's paging-cookie annotation must carry no keyset
    /// (an empty pagingcookie) and the next page's number, and is handed to the next page's fetch as a client would.
    /// </summary>
    private async Task<List<JsonElement>> AllPagesAsync(string entitySet, Func<int, string?, string> fetchOfPage)
    {
        var rows = new List<JsonElement>();
        string? cookie = null;
        for (var page = 1; page < 10; page++)
        {
            var body = await server.Admin.GetJsonAsync($"{entitySet}?fetchXml={Uri.EscapeDataString(fetchOfPage(page, cookie))}", ("Prefer", AllAnnotations));
            rows.AddRange(body.GetProperty("value").EnumerateArray());
            if (!body.TryGetProperty("@Microsoft.Dynamics.CRM.morerecords", out _))
            {
                return rows;
            }

            cookie = body.GetProperty("@Microsoft.Dynamics.CRM.fetchxmlpagingcookie").GetString()!;
            Assert.Equal($"<cookie pagenumber=\"{page + 1}\" pagingcookie=\"\" istracking=\"False\" />", cookie);
        }

        throw new InvalidOperationException("More than 9 pages.");
    }

    [Fact]
    public async Task Link_entity_to_the_creating_user_returns_its_attribute_and_filters_by_it()
    {
        await SeedAsync();
        var link = "<link-entity name='systemuser' from='systemuserid' to='createdby' alias='creator' link-type='inner'>" +
                   "<attribute name='fullname' /><filter><condition attribute='systemuserid' operator='eq-userid' /></filter></link-entity>";

        var rows = (await server.Admin.GetJsonAsync(Url(Fetch("", "", "<attribute name='msdyn_name' />" + link)))).GetProperty("value");

        Assert.Equal(4, rows.GetArrayLength());
        Assert.False(string.IsNullOrEmpty(rows[0].GetProperty("creator_x002e_fullname").GetString()));
        var none = link.Replace("eq-userid", "ne-userid", StringComparison.Ordinal);
        Assert.Equal(0, (await server.Admin.GetJsonAsync(Url(Fetch("", "", none)))).GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Rows_carry_their_etag_and_a_lookups_name_when_formatted_values_are_asked_for()
    {
        await SeedAsync();
        var url = Url(Fetch("", "", "<attribute name='msdyn_name' /><attribute name='ownerid' /><order attribute='msdyn_name' />"));

        var annotated = (await server.Admin.GetJsonAsync(url, ("Prefer", AllAnnotations))).GetProperty("value")[0];
        var plain = (await server.Admin.GetJsonAsync(url)).GetProperty("value")[0];

        Assert.StartsWith("W/\"", annotated.GetProperty("@odata.etag").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("W/\"", plain.GetProperty("@odata.etag").GetString(), StringComparison.Ordinal);
        Assert.False(plain.TryGetProperty("versionnumber", out _));
        Assert.Equal("System Administrator", annotated.GetProperty("_ownerid_value@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.False(plain.TryGetProperty("_ownerid_value@OData.Community.Display.V1.FormattedValue", out _));
        Assert.False(annotated.TryGetProperty("owneridname", out _));
    }

    [Fact]
    public async Task Linked_columns_carry_their_column_name_formatted_value_and_a_lookups_table_when_prefer_asks()
    {
        await SeedAsync();
        var link = "<link-entity name='systemuser' from='systemuserid' to='createdby' alias='creator'>" +
                   "<attribute name='isdisabled' /><attribute name='businessunitid' /></link-entity>";
        var url = Url(Fetch("", "", "<attribute name='msdyn_name' />" + link));

        var row = (await server.Admin.GetJsonAsync(url, ("Prefer", AllAnnotations))).GetProperty("value")[0];
        var plain = (await server.Admin.GetJsonAsync(url)).GetProperty("value")[0];

        // Dataverse writes the SDK's "alias.column" as "alias_x002e_column": an OData property name holds no '.'.
        Assert.False(row.GetProperty("creator_x002e_isdisabled").GetBoolean());
        Assert.False(row.TryGetProperty("creator.isdisabled", out _));
        Assert.Equal("No", row.GetProperty("creator_x002e_isdisabled@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("businessunit", row.GetProperty("creator_x002e_businessunitid@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        Assert.True(Guid.TryParse(row.GetProperty("creator_x002e_businessunitid").GetString(), out _));
        Assert.False(plain.TryGetProperty("creator_x002e_isdisabled@OData.Community.Display.V1.FormattedValue", out _));
        Assert.False(plain.TryGetProperty("creator_x002e_businessunitid@Microsoft.Dynamics.CRM.lookuplogicalname", out _));
        Assert.Equal("isdisabled", row.GetProperty("creator_x002e_isdisabled@OData.Community.Display.V1.AttributeName").GetString());
        Assert.False(plain.TryGetProperty("creator_x002e_isdisabled@OData.Community.Display.V1.AttributeName", out _));
    }

    [Fact]
    public async Task A_linked_lookup_carries_its_name_as_formatted_value_and_an_owner_its_own_table()
    {
        // Dataverse writes a lookup read through an alias with its name and table ("whocreated@…FormattedValue",
        // "whocreated@…lookuplogicalname": fetchxml/select-columns); a team's record is owned by a team.
        var team = await Principals.AddTeamAsync(server.Store, _tag + " owners", server.Organization.RootBusinessUnitId);
        await Principals.AssignTeamRoleAsync(server.Store, team, Engine.Security.SecurityCatalog.BasicUserRoleId);
        await server.Admin.CreateAccountAsync($"{_tag} team owned", $"\"ownerid@odata.bind\":\"/teams({team})\"");
        var fetch = "<fetch><entity name='team'><attribute name='name' />" +
                    $"<filter><condition attribute='teamid' operator='eq' value='{team}' /></filter>" +
                    "<link-entity name='msdyn_ocwhatsappchannelaccount' from='owningteam' to='teamid' alias='owned'>" +
                    "<attribute name='ownerid' /><attribute name='createdby' /></link-entity></entity></fetch>";

        var row = Assert.Single((await server.Admin.GetJsonAsync($"teams?fetchXml={Uri.EscapeDataString(fetch)}", ("Prefer", AllAnnotations))).GetProperty("value").EnumerateArray());

        Assert.Equal(team, row.GetProperty("owned_x002e_ownerid").GetGuid());
        Assert.Equal("team", row.GetProperty("owned_x002e_ownerid@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        Assert.Equal(_tag + " owners", row.GetProperty("owned_x002e_ownerid@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("systemuser", row.GetProperty("owned_x002e_createdby@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("owned_x002e_createdby@OData.Community.Display.V1.FormattedValue").GetString()));
        Assert.False(row.TryGetProperty("owned_x002e_owneridname", out _));
        Assert.False(row.TryGetProperty("owned_x002e_createdbyname", out _));
    }

    [Fact]
    public async Task Columns_with_an_alias_come_back_under_it_with_the_columns_name_formatted_value_and_table()
    {
        // Dataverse's own example (fetchxml/select-columns, "Column aliases"): whocreated, code, whencreated, companyname.
        await SeedAsync();
        var fetch = Fetch("", "count='1'", "<attribute name='createdby' alias='whocreated' /><attribute name='statecode' alias='code' />" +
                                           "<attribute name='createdon' alias='whencreated' /><attribute name='msdyn_name' alias='companyname' />" +
                                           "<attribute name='importsequencenumber' /><order attribute='msdyn_name' />");

        var row = (await server.Admin.GetJsonAsync(Url(fetch), ("Prefer", AllAnnotations))).GetProperty("value")[0];
        var plain = (await server.Admin.GetJsonAsync(Url(fetch))).GetProperty("value")[0];

        Assert.Equal(server.Organization.AdminUserId, row.GetProperty("whocreated").GetGuid());
        Assert.Equal("createdby", row.GetProperty("whocreated@OData.Community.Display.V1.AttributeName").GetString());
        Assert.Equal("systemuser", row.GetProperty("whocreated@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("whocreated@OData.Community.Display.V1.FormattedValue").GetString()));
        Assert.Equal(0, row.GetProperty("code").GetInt32());
        Assert.Equal("Active", row.GetProperty("code@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("statecode", row.GetProperty("code@OData.Community.Display.V1.AttributeName").GetString());
        Assert.Equal($"{_tag} alpha", row.GetProperty("companyname").GetString());
        Assert.Equal("msdyn_name", row.GetProperty("companyname@OData.Community.Display.V1.AttributeName").GetString());
        Assert.True(row.TryGetProperty("whencreated", out _));
        Assert.Equal(10, row.GetProperty("importsequencenumber").GetInt32());
        foreach (var column in new[] { "_createdby_value", "statecode", "createdon", "msdyn_name" })
        {
            Assert.False(row.TryGetProperty(column, out _), column);
        }
        Assert.Equal($"{_tag} alpha", plain.GetProperty("companyname").GetString());
        Assert.False(plain.TryGetProperty("companyname@OData.Community.Display.V1.AttributeName", out _));
    }

    [Fact]
    public async Task A_linked_column_with_an_alias_comes_back_under_it_and_its_unaliased_neighbours_as_alias_x002e_column()
    {
        await SeedAsync();
        var fetch = Fetch("", "count='1'", "<attribute name='msdyn_name' /><order attribute='msdyn_name' />" +
                                           "<link-entity name='systemuser' from='systemuserid' to='createdby' alias='u'>" +
                                           "<attribute name='fullname' alias='creator' /><attribute name='domainname' /></link-entity>");

        var row = (await server.Admin.GetJsonAsync(Url(fetch), ("Prefer", AllAnnotations))).GetProperty("value")[0];

        Assert.Equal("System Administrator", row.GetProperty("creator").GetString());
        Assert.Equal("fullname", row.GetProperty("creator@OData.Community.Display.V1.AttributeName").GetString());
        Assert.False(row.TryGetProperty("u_x002e_fullname", out _));
        Assert.True(row.TryGetProperty("u_x002e_domainname", out _));
    }

    [Fact]
    public async Task Aggregates_count_countcolumn_min_max_avg_and_sum()
    {
        await SeedAsync();
        var attributes = "<attribute name='msdyn_ocwhatsappchannelaccountid' alias='n' aggregate='count' />" +
                         "<attribute name='timezoneruleversionnumber' alias='versions' aggregate='countcolumn' />" +
                         "<attribute name='importsequencenumber' alias='low' aggregate='min' />" +
                         "<attribute name='importsequencenumber' alias='high' aggregate='max' />" +
                         "<attribute name='importsequencenumber' alias='mean' aggregate='avg' />" +
                         "<attribute name='importsequencenumber' alias='total' aggregate='sum' />";

        var row = (await server.Admin.GetJsonAsync(Url(Fetch("", "aggregate='true'", attributes)))).GetProperty("value")[0];

        Assert.Equal(4, row.GetProperty("n").GetInt32());
        Assert.Equal(1, row.GetProperty("versions").GetInt32());
        Assert.Equal(10, row.GetProperty("low").GetInt32());
        Assert.Equal(40, row.GetProperty("high").GetInt32());
        Assert.Equal(25.0, row.GetProperty("mean").GetDouble());
        Assert.Equal(100, row.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task An_aggregate_groups_and_aggregates_columns_of_linked_tables_too()
    {
        await SeedAsync();
        var attributes = "<attribute name='msdyn_ocwhatsappchannelaccountid' alias='n' aggregate='count' />" +
                         "<link-entity name='systemuser' from='systemuserid' to='owninguser' alias='owner'>" +
                         "<attribute name='fullname' alias='ownername' groupby='true' /><attribute name='businessunitid' alias='unit' groupby='true' />" +
                         "<link-entity name='businessunit' from='businessunitid' to='businessunitid' alias='ownerunit'>" +
                         "<attribute name='name' alias='units' aggregate='countcolumn' distinct='true' />" +
                         "</link-entity></link-entity>";

        var body = await server.Admin.GetJsonAsync(Url(Fetch("", "aggregate='true'", attributes)), ("Prefer", AllAnnotations));

        var row = Assert.Single(body.GetProperty("value").EnumerateArray());
        Assert.Equal(4, row.GetProperty("n").GetInt32());
        Assert.Equal("System Administrator", row.GetProperty("ownername").GetString());
        Assert.Equal(server.Organization.RootBusinessUnitId, row.GetProperty("unit").GetGuid());
        Assert.Equal("ChannelAccounts", row.GetProperty("unit@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal(1, row.GetProperty("units").GetInt32());
        Assert.Equal("4", row.GetProperty("n@OData.Community.Display.V1.FormattedValue").GetString());
    }

    [Fact]
    public async Task Groupby_with_dategrouping_groups_rows()
    {
        await SeedAsync();
        var attributes = "<attribute name='statuscode' alias='status' groupby='true' />" +
                         "<attribute name='createdon' alias='year' groupby='true' dategrouping='year' />" +
                         "<attribute name='createdon' alias='month' groupby='true' dategrouping='month' />" +
                         "<attribute name='createdon' alias='day' groupby='true' dategrouping='day' />" +
                         "<attribute name='msdyn_ocwhatsappchannelaccountid' alias='n' aggregate='count' />";

        var rows = (await server.Admin.GetJsonAsync(Url(Fetch("", "aggregate='true'", attributes)))).GetProperty("value");

        var now = DateTime.UtcNow;
        var row = Assert.Single(rows.EnumerateArray());
        Assert.Equal(1, row.GetProperty("status").GetInt32());
        Assert.Equal(now.Year, row.GetProperty("year").GetInt32());
        Assert.Equal(now.Month, row.GetProperty("month").GetInt32());
        Assert.Equal(now.Day, row.GetProperty("day").GetInt32());
        Assert.Equal(4, row.GetProperty("n").GetInt32());
    }

    [Theory]
    [InlineData("inner", 4)]
    [InlineData("matchfirstrowusingcrossapply", 1)]
    public async Task A_matchfirstrowusingcrossapply_link_joins_one_matching_row_where_inner_repeats_the_parent(string linkType, int rows)
    {
        await SeedAsync(); // four records the administrator created
        string Fetch(string namePrefix) =>
            $"<fetch><entity name='systemuser'><attribute name='fullname' /><filter><condition attribute='systemuserid' operator='eq' value='{server.Organization.AdminUserId}' /></filter>" +
            $"<link-entity name='msdyn_ocwhatsappchannelaccount' from='createdby' to='systemuserid' link-type='{linkType}' alias='a'><attribute name='msdyn_name' />" +
            $"<filter><condition attribute='msdyn_name' operator='begins-with' value='{namePrefix}' /></filter></link-entity></entity></fetch>";

        var matched = (await server.Admin.GetJsonAsync($"systemusers?fetchXml={Uri.EscapeDataString(Fetch(_tag))}")).GetProperty("value");
        var unmatched = (await server.Admin.GetJsonAsync($"systemusers?fetchXml={Uri.EscapeDataString(Fetch(_tag + " nothing"))}")).GetProperty("value");

        Assert.Equal(rows, matched.GetArrayLength());
        Assert.All(matched.EnumerateArray(), row => Assert.StartsWith(_tag, row.GetProperty("a_x002e_msdyn_name").GetString()));
        Assert.Equal(0, unmatched.GetArrayLength()); // an inner join still: no matching row, no parent
    }

    [Theory]
    [InlineData("<condition attribute='msdyn_name' operator='eq' valueof='msdyn_provideraccountid' value='x' />")]
    [InlineData("<condition attribute='msdyn_name' operator='eq' valueof='msdyn_provideraccountid'><value>x</value></condition>")]
    public async Task A_condition_with_both_valueof_and_a_value_is_400(string condition)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Url(Fetch(condition)));

        Assert.Contains("both valueof and a value", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }

    [Fact]
    public async Task Valueof_may_name_a_linked_tables_column_by_its_alias()
    {
        var owner = await Principals.AddAdministratorAsync(server.Store, _tag, "Owner", server.Organization.RootBusinessUnitId);
        var ownerName = (await server.Admin.GetJsonAsync($"systemusers({owner})?$select=fullname")).GetProperty("fullname").GetString()!;
        await server.Admin.CreateAccountAsync(ownerName, $"\"ownerid@odata.bind\":\"/systemusers({owner})\"");
        await server.Admin.CreateAccountAsync($"{_tag} other", $"\"ownerid@odata.bind\":\"/systemusers({owner})\"");
        var link = "<attribute name='msdyn_name' /><link-entity name='systemuser' from='systemuserid' to='owninguser' alias='u' />";

        var names = (await server.Admin.GetJsonAsync(Url(Fetch("<condition attribute='msdyn_name' operator='eq' valueof='u.fullname' />", "", link))))
            .GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString());

        Assert.StartsWith(_tag, ownerName);
        Assert.Equal([ownerName], names);
    }

    [Fact]
    public async Task An_aggregate_orders_its_groups_by_an_alias_and_top_takes_the_first_of_that_order()
    {
        await SeedAsync(); // alpha, bravo, charlie, delta
        var attributes = "<attribute name='msdyn_name' alias='name' groupby='true' />" +
                         "<attribute name='msdyn_ocwhatsappchannelaccountid' alias='n' aggregate='count' /><order alias='name' descending='true' />";

        var rows = (await server.Admin.GetJsonAsync(Url(Fetch("", "aggregate='true' top='2'", attributes)))).GetProperty("value");

        Assert.Equal([$"{_tag} delta", $"{_tag} charlie"], rows.EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_aggregate_order_by_an_alias_the_query_lacks_is_400_naming_it()
    {
        var attributes = "<attribute name='msdyn_name' alias='name' groupby='true' /><order alias='nosuch' />";

        using var response = await server.Admin.SendAsync(HttpMethod.Get, Url(Fetch("", "aggregate='true'", attributes)));

        Assert.Contains("'nosuch'", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }

    [Fact]
    public async Task Min_and_max_of_text_ignore_case_and_show_the_value_as_stored()
    {
        await server.Admin.CreateAccountAsync($"{_tag} Beta");
        await server.Admin.CreateAccountAsync($"{_tag} alpha");
        var attributes = "<attribute name='msdyn_name' alias='least' aggregate='min' /><attribute name='msdyn_name' alias='most' aggregate='max' />";

        var row = Assert.Single((await server.Admin.GetJsonAsync(Url(Fetch("", "aggregate='true'", attributes)))).GetProperty("value").EnumerateArray());

        Assert.Equal($"{_tag} alpha", row.GetProperty("least").GetString());
        Assert.Equal($"{_tag} Beta", row.GetProperty("most").GetString());
    }

    [Fact]
    public async Task Week_dategrouping_numbers_weeks_as_SQL_Server_does_from_Sunday_with_January_1st_in_week_1()
    {
        // 2026-01-01 is a Thursday: Saturday the 3rd is still week 1, Sunday the 4th starts week 2, and the 31st of December is week 53.
        foreach (var (name, createdOn) in new[] { ("a", "2026-01-03T12:00:00Z"), ("b", "2026-01-04T12:00:00Z"), ("c", "2026-12-31T12:00:00Z") })
        {
            await server.Admin.CreateAccountAsync($"{_tag} {name}", $"\"overriddencreatedon\":\"{createdOn}\"");
        }
        var attributes = "<attribute name='createdon' alias='week' groupby='true' dategrouping='week' />" +
                         "<attribute name='msdyn_ocwhatsappchannelaccountid' alias='n' aggregate='count' />";

        var rows = (await server.Admin.GetJsonAsync(Url(Fetch("", "aggregate='true'", attributes)))).GetProperty("value");

        Assert.Equal([1, 2, 53], rows.EnumerateArray().Select(r => r.GetProperty("week").GetInt32()).Order());
    }

    [Theory]
    [InlineData("max", "msdyn_ocwhatsappchannelaccountid")]
    [InlineData("min", "ownerid")]
    [InlineData("max", "owningbusinessunit")]
    public async Task Min_and_max_of_an_id_or_lookup_column_are_400_naming_it(string aggregate, string column)
    {
        var attributes = $"<attribute name='{column}' alias='x' aggregate='{aggregate}' />";

        using var response = await server.Admin.SendAsync(HttpMethod.Get, Url(Fetch("", "aggregate='true'", attributes)));

        Assert.Contains($"'{column}'", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }

    [Theory]
    [InlineData("msdyn_name", "createdon")]
    [InlineData("importsequencenumber", "msdyn_name")]
    [InlineData("ownerid", "msdyn_name")]
    [InlineData("owneridtype", "msdyn_name")] // the owner's type is stored as its type code, a number
    public async Task A_column_comparison_of_two_kinds_of_value_is_400_naming_both(string column, string other)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Url(Fetch($"<condition attribute='{column}' operator='eq' valueof='{other}' />")));

        var message = (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message;
        Assert.Contains($"'{column}'", message);
        Assert.Contains($"'{other}'", message);
    }

    [Fact]
    public async Task Apply_groups_aggregates_and_filters()
    {
        await SeedAsync();
        var filter = $"filter(startswith(msdyn_name,'{_tag}'))";

        var grouped = (await server.Admin.GetJsonAsync($"{Accounts}?$apply={filter}/groupby((statuscode),aggregate($count as count))")).GetProperty("value");
        var total = (await server.Admin.GetJsonAsync($"{Accounts}?$apply={filter}/aggregate(importsequencenumber with sum as total,importsequencenumber with average as mean)")).GetProperty("value")[0];
        var owners = (await server.Admin.GetJsonAsync($"{Accounts}?$apply={filter}/groupby((_ownerid_value))")).GetProperty("value");

        var group = Assert.Single(grouped.EnumerateArray());
        Assert.Equal(1, group.GetProperty("statuscode").GetInt32());
        Assert.Equal(4, group.GetProperty("count").GetInt32());
        Assert.Equal(100, total.GetProperty("total").GetInt64());
        Assert.Equal(25.0, total.GetProperty("mean").GetDouble());
        Assert.Equal(server.Organization.AdminUserId, Assert.Single(owners.EnumerateArray()).GetProperty("_ownerid_value").GetGuid());
    }

    [Fact]
    public async Task Text_groups_and_distinct_counts_ignore_case_as_dataverses_collation_does()
    {
        foreach (var name in new[] { "alpha", "Alpha", "ALPHA", "beta" })
        {
            await server.Admin.CreateAccountAsync($"{_tag} {name}");
        }
        var filter = $"filter(startswith(msdyn_name,'{_tag}'))";

        var groups = (await server.Admin.GetJsonAsync($"{Accounts}?$apply={filter}/groupby((msdyn_name),aggregate($count as count))")).GetProperty("value");
        var distinct = (await server.Admin.GetJsonAsync($"{Accounts}?$apply={filter}/aggregate(msdyn_name with countdistinct as names)")).GetProperty("value")[0];
        var fetched = (await server.Admin.GetJsonAsync(Url(
            $"<fetch aggregate='true'><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name' alias='name' groupby='true' />" +
            $"<attribute name='msdyn_ocwhatsappchannelaccountid' alias='n' aggregate='count' /><filter>{TagCondition}</filter></entity></fetch>"))).GetProperty("value");

        Assert.Equal([3, 1], groups.EnumerateArray().Select(g => g.GetProperty("count").GetInt32()));
        Assert.Equal($"{_tag} alpha", groups[0].GetProperty("msdyn_name").GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(2, distinct.GetProperty("names").GetInt32());
        Assert.Equal([3, 1], fetched.EnumerateArray().Select(g => g.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task Apply_rows_carry_the_formatted_values_asked_for_and_say_the_preference_was_applied()
    {
        await SeedAsync();
        var admin = await server.Admin.GetJsonAsync($"systemusers({server.Organization.AdminUserId})?$select=fullname");
        var apply = $"filter(startswith(msdyn_name,'{_tag}'))/groupby((statecode,_ownerid_value),aggregate($count as count,importsequencenumber with sum as total,createdon with max as latest))";

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?$apply={apply}", null, ("Prefer", AllAnnotations));
        using var plain = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?$apply={apply}");

        Assert.Equal(AllAnnotations, response.Header("Preference-Applied"));
        var row = Assert.Single((await response.JsonAsync()).GetProperty("value").EnumerateArray());
        Assert.Equal("Active", row.GetProperty("statecode@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal(admin.GetProperty("fullname").GetString(), row.GetProperty("_ownerid_value@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("4", row.GetProperty("count@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("100", row.GetProperty("total@OData.Community.Display.V1.FormattedValue").GetString());
        var latest = row.GetProperty("latest").GetDateTime().ToUniversalTime();
        Assert.Equal(latest.ToString("M/d/yyyy h:mm tt", System.Globalization.CultureInfo.InvariantCulture),
            row.GetProperty("latest@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Null(plain.Header("Preference-Applied"));
        var plainRow = Assert.Single((await plain.JsonAsync()).GetProperty("value").EnumerateArray());
        Assert.Equal(["_ownerid_value", "count", "latest", "statecode", "total"], plainRow.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Aggregate_fetchxml_rows_carry_formatted_values_too()
    {
        await SeedAsync();
        var attributes = "<attribute name='statuscode' alias='status' groupby='true' />" +
                         "<attribute name='createdon' alias='year' groupby='true' dategrouping='year' />" +
                         "<attribute name='importsequencenumber' alias='mean' aggregate='avg' />";

        var row = (await server.Admin.GetJsonAsync(Url(Fetch("", "aggregate='true'", attributes)), ("Prefer", AllAnnotations))).GetProperty("value")[0];

        Assert.Equal("Active", row.GetProperty("status@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal(DateTime.UtcNow.Year.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            row.GetProperty("year@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("25", row.GetProperty("mean@OData.Community.Display.V1.FormattedValue").GetString());
    }

    [Fact]
    public async Task A_basic_user_fetches_and_counts_only_their_own_rows()
    {
        await SeedAsync();
        var user = await Principals.AddUserAsync(server.Store, "Fay", "Fetch", server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, Engine.Security.SecurityCatalog.BasicUserRoleId);
        var client = server.ClientFor(user);
        await client.CreateAccountAsync($"{_tag} mine", "\"importsequencenumber\":5");

        var rows = (await client.GetJsonAsync(Url(Fetch("")))).GetProperty("value");
        var count = (await client.GetJsonAsync(Url(Fetch("", "aggregate='true'", "<attribute name='msdyn_name' alias='n' aggregate='count' />")))).GetProperty("value")[0];
        var apply = (await client.GetJsonAsync($"{Accounts}?$apply=filter(startswith(msdyn_name,'{_tag}'))/aggregate($count as n)")).GetProperty("value")[0];

        Assert.Equal($"{_tag} mine", Assert.Single(rows.EnumerateArray()).GetProperty("msdyn_name").GetString());
        Assert.Equal(1, count.GetProperty("n").GetInt32());
        Assert.Equal(1, apply.GetProperty("n").GetInt32());
        Assert.Equal(5, (await server.Admin.GetJsonAsync(Url(Fetch("")))).GetProperty("value").GetArrayLength());
    }

    [Theory]
    [InlineData("<fetch><entity name='msdyn_ocwhatsappchannelaccount'>")]
    [InlineData("<!DOCTYPE fetch [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name' /></entity></fetch>")]
    [InlineData("<fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='nosuchcolumn' /></entity></fetch>")]
    [InlineData("<fetch><entity name='msdyn_ocwhatsappchannelaccount'><filter><condition attribute='msdyn_name' operator='sounds-like' value='x' /></filter></entity></fetch>")]
    [InlineData("<fetch><entity name='account'><attribute name='name' /></entity></fetch>")]
    [InlineData("<fetch aggregate='true'><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name' alias='s' aggregate='sum' /></entity></fetch>")]
    [InlineData("<fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name' /></entity></fetch")]
    public async Task Bad_fetchxml_is_a_400_and_never_a_500(string fetch)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Url(fetch));

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Theory]
    [InlineData("groupby((nosuchcolumn))")]
    [InlineData("aggregate(msdyn_name with median as m)")]
    [InlineData("groupby((statuscode)")]
    [InlineData("filter(msdyn_name eq 'x')")]
    public async Task Bad_apply_is_a_400(string apply)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?$apply={Uri.EscapeDataString(apply)}");

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }
}

public sealed class FetchXmlEndpointTestsOnSqlite(SqliteServerFixture server) : FetchXmlEndpointTests(server), IClassFixture<SqliteServerFixture>;

public sealed class FetchXmlEndpointTestsOnPostgres(PostgresServerFixture server) : FetchXmlEndpointTests(server), IClassFixture<PostgresServerFixture>;
