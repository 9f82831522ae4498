using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

public abstract class RecordEndpointTests(IServerFixture server)
{
    [Fact]
    public async Task Retrieve_writes_the_selected_columns_in_the_tables_column_order_whatever_the_select_order()
    {
        var id = await server.Admin.CreateAccountAsync("Ordered");
        var table = Engine.Metadata.MetadataCatalog.Default[Engine.Metadata.MetadataCatalog.WhatsAppAccount];

        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=statuscode,msdyn_name,statecode,_ownerid_value,createdon");

        var names = body.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('@')).ToList();
        static string Column(string property) => property.StartsWith('_') ? property[1..^"_value".Length] : property;
        Assert.Equal(names.OrderBy(n => table.Ordinal(Column(n))), names);
        Assert.Equal(6, names.Count); // the five selected and the primary id
    }

    [Fact]
    public async Task Retrieve_returns_the_record_with_lookups_as_value_properties_and_an_etag()
    {
        var id = await server.Admin.CreateAccountAsync("Retrieve me");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        var etag = body.GetProperty("@odata.etag").GetString()!;
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.Equal($"W/\"{body.GetProperty("versionnumber").GetInt64()}\"", etag);
        Assert.EndsWith("$metadata#msdyn_ocwhatsappchannelaccounts/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal(id, body.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid());
        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("_ownerid_value").GetGuid());
        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("_createdby_value").GetGuid());
        Assert.Equal(server.Organization.RootBusinessUnitId, body.GetProperty("_owningbusinessunit_value").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("_owningteam_value").ValueKind);
        Assert.False(body.TryGetProperty("ownerid", out _));
        Assert.False(body.TryGetProperty("createdbyname", out _));
        Assert.False(body.TryGetProperty("owneridtype", out _));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body.GetProperty("createdon").GetString());
    }

    [Fact]
    public async Task Retrieve_sends_the_record_with_its_content_length_not_chunked()
    {
        var id = await server.Admin.CreateAccountAsync("Sized");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})?$select=msdyn_name");

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal("application/json; odata.metadata=minimal", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("Sized", System.Text.Json.JsonDocument.Parse(bytes).RootElement.GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task Retrieve_with_select_returns_only_those_columns_and_the_key()
    {
        var id = await server.Admin.CreateAccountAsync("Selected");

        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name,_ownerid_value");

        var names = body.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(new HashSet<string> { "@odata.context", "@odata.etag", "msdyn_name", "_ownerid_value", "msdyn_ocwhatsappchannelaccountid" }, names);
        Assert.EndsWith("#msdyn_ocwhatsappchannelaccounts(msdyn_name,_ownerid_value)/$entity", body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Retrieve_with_expand_nests_the_related_records()
    {
        var id = await server.Admin.CreateAccountAsync("Expanded");

        var body = await server.Admin.GetJsonAsync(
            $"{Accounts}({id})?$select=msdyn_name&$expand=createdby($select=fullname),owningbusinessunit($select=name),ownerid,owningteam");

        Assert.Equal("System Administrator", body.GetProperty("createdby").GetProperty("fullname").GetString());
        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("createdby").GetProperty("systemuserid").GetGuid());
        // Microsoft's samples ("Join tables using OData") show a single-valued expansion with $select without @odata.etag.
        Assert.False(body.GetProperty("createdby").TryGetProperty("@odata.etag", out _));
        Assert.Equal("ChannelAccounts", body.GetProperty("owningbusinessunit").GetProperty("name").GetString());
        Assert.Equal("System Administrator", body.GetProperty("ownerid").GetProperty("fullname").GetString());
        Assert.Equal("#Microsoft.Dynamics.CRM.systemuser", body.GetProperty("ownerid").GetProperty("@odata.type").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("owningteam").ValueKind);
    }

    [Fact]
    public async Task Expanding_a_lookup_as_ref_returns_the_related_records_url_and_the_lookups_value_as_Dataverse_documents()
    {
        var id = await server.Admin.CreateAccountAsync("Referenced");

        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name&$expand=ownerid/$ref,owningteam/$ref,createdby($select=fullname)");

        var admin = server.Organization.AdminUserId;
        Assert.EndsWith($"/systemusers({admin})", body.GetProperty("ownerid").GetProperty("@odata.id").GetString());
        Assert.StartsWith("http", body.GetProperty("ownerid").GetProperty("@odata.id").GetString());
        Assert.Single(body.GetProperty("ownerid").EnumerateObject());
        Assert.Equal(admin, body.GetProperty("_ownerid_value").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("owningteam").ValueKind);
        Assert.Equal("System Administrator", body.GetProperty("createdby").GetProperty("fullname").GetString());
        Assert.Contains("ownerid/$ref()", body.GetProperty("@odata.context").GetString());
        using var collection = await server.Admin.SendAsync(HttpMethod.Get, $"systemusers({admin})?$expand=user_msdyn_ocwhatsappchannelaccount/$ref");
        Assert.Equal("0x80060888", (await collection.ErrorAsync(HttpStatusCode.BadRequest)).Code);
    }

    [Fact]
    public async Task An_expanded_user_or_team_carries_ownerid_beside_its_own_key_as_the_principal_it_inherits_from()
    {
        var team = await Principals.AddTeamAsync(server.Store, "Owners " + Guid.NewGuid(), server.Organization.RootBusinessUnitId);
        await Principals.AssignTeamRoleAsync(server.Store, team, Engine.Security.SecurityCatalog.BasicUserRoleId);
        var id = await server.Admin.CreateAccountAsync("Principal keys", $"\"ownerid@odata.bind\":\"/teams({team})\"");

        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name&$expand=createdby($select=fullname),owningteam($select=name),ownerid");

        var creator = body.GetProperty("createdby");
        Assert.Equal(["fullname", "ownerid", "systemuserid"], creator.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('@')).Order());
        Assert.Equal(server.Organization.AdminUserId, creator.GetProperty("ownerid").GetGuid());
        var owningTeam = body.GetProperty("owningteam");
        Assert.Equal(["name", "ownerid", "teamid"], owningTeam.EnumerateObject().Select(p => p.Name).Where(n => !n.StartsWith('@')).Order());
        Assert.Equal(team, owningTeam.GetProperty("ownerid").GetGuid());
        Assert.Equal(team, body.GetProperty("ownerid").GetProperty("ownerid").GetGuid());
        Assert.EndsWith("#msdyn_ocwhatsappchannelaccounts(msdyn_name,createdby,createdby(fullname),owningteam,owningteam(name),ownerid,ownerid())/$entity",
            body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Retrieve_with_a_nested_expand_nests_the_lookup_of_the_related_record_inside_it()
    {
        var id = await server.Admin.CreateAccountAsync("Nested expand");

        var body = await server.Admin.GetJsonAsync(
            $"{Accounts}({id})?$select=msdyn_name&$expand=owninguser($select=fullname;$expand=businessunitid($select=name;$expand=parentbusinessunitid($select=name))),createdby($select=fullname)");

        var user = body.GetProperty("owninguser");
        Assert.Equal("System Administrator", user.GetProperty("fullname").GetString());
        var unit = user.GetProperty("businessunitid");
        Assert.Equal("ChannelAccounts", unit.GetProperty("name").GetString());
        Assert.Equal(server.Organization.RootBusinessUnitId, unit.GetProperty("businessunitid").GetGuid());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unit.GetProperty("parentbusinessunitid").ValueKind); // the root unit has none
        Assert.False(user.TryGetProperty("createdby", out _));
        Assert.Equal("System Administrator", body.GetProperty("createdby").GetProperty("fullname").GetString());
        Assert.EndsWith("#msdyn_ocwhatsappchannelaccounts(msdyn_name,owninguser,owninguser(fullname,businessunitid(name,parentbusinessunitid(name))),createdby,createdby(fullname))/$entity",
            body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task Retrieve_with_the_current_etag_in_If_None_Match_is_304()
    {
        var id = await server.Admin.CreateAccountAsync("Cached");
        using var first = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})");
        var etag = first.Headers.ETag!.ToString();

        using var again = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);

        await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Changed"}""");
        using var changed = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, ("If-None-Match", etag));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Retrieve_with_a_list_of_etags_in_If_None_Match_is_304_when_one_is_current()
    {
        var id = await server.Admin.CreateAccountAsync("Cached in a list");
        using var first = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})");
        var etag = first.Headers.ETag!.ToString();

        using var listed = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, ("If-None-Match", $"W/\"1\", {etag}"));
        using var strong = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, ("If-None-Match", etag[2..]));
        using var others = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, ("If-None-Match", "W/\"1\", W/\"2\""));

        Assert.Equal(HttpStatusCode.NotModified, listed.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, strong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, others.StatusCode);
    }

    [Theory]
    [InlineData("$filter=statecode eq 1")]
    [InlineData("$top=1")]
    [InlineData("$orderby=msdyn_name")]
    [InlineData("$count=true")]
    public async Task A_collection_option_on_one_record_is_400_rather_than_dropped(string option)
    {
        var id = await server.Admin.CreateAccountAsync("Not a collection");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})?$select=msdyn_name&{option}");

        Assert.Contains("The requested resource is not a collection", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }

    [Fact]
    public async Task If_None_Match_null_is_no_condition()
    {
        var id = await server.Admin.CreateAccountAsync("Null condition");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, ("If-None-Match", "null"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Retrieve_of_a_missing_record_is_404_ObjectDoesNotExist()
    {
        var missing = Guid.NewGuid();

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({missing})");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
        Assert.Equal($"Entity 'msdyn_ocwhatsappchannelaccount' With Id = {missing} Does Not Exist", message);
    }

    [Fact]
    public async Task Retrieve_with_an_id_that_is_not_a_guid_is_400()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}(not-a-guid)");

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_single_property_can_be_read_written_and_cleared()
    {
        var id = await server.Admin.CreateAccountAsync("Property", "\"msdyn_twilioinboundurl\":\"https://example.test/in\"");

        var value = await server.Admin.GetJsonAsync($"{Accounts}({id})/msdyn_name");
        Assert.Equal("Property", value.GetProperty("value").GetString());
        Assert.EndsWith($"$metadata#msdyn_ocwhatsappchannelaccounts({id})/msdyn_name", value.GetProperty("@odata.context").GetString());

        using var put = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/msdyn_name", """{"value":"Renamed"}""");
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        using var raw = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})/msdyn_name/$value");
        Assert.Equal("Renamed", await raw.Content.ReadAsStringAsync());

        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({id})/msdyn_twilioinboundurl");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var cleared = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_twilioinboundurl");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("msdyn_twilioinboundurl").ValueKind);
    }
}

public sealed class RecordEndpointTestsOnSqlite(SqliteServerFixture server) : RecordEndpointTests(server), IClassFixture<SqliteServerFixture>;

public sealed class RecordEndpointTestsOnPostgres(PostgresServerFixture server) : RecordEndpointTests(server), IClassFixture<PostgresServerFixture>;
