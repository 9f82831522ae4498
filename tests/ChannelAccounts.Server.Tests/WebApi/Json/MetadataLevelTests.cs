using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.WebApi.Batch;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>
/// Accept: application/json;odata.metadata=none and the negotiation itself over HTTP: what none leaves out of each kind
/// of response, that the default stays minimal to the byte, and that an Accept admitting no JSON is a 406.
/// </summary>
public abstract class MetadataLevelTests(IServerFixture server)
{
    private readonly string _tag = "lvl" + Guid.NewGuid().ToString("N")[..8];

    private async Task<HttpResponseMessage> GetAsync(string url, params (string Name, string Value)[] headers)
    {
        var response = await server.Admin.SendAsync(HttpMethod.Get, url, null, headers);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    [Fact]
    public async Task Accept_odata_metadata_none_leaves_out_context_and_etag()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} none");

        using var response = await GetAsync($"{Accounts}({id})?$select=msdyn_name,_ownerid_value", AcceptMetadata("none"));

        Assert.Equal("application/json; odata.metadata=none", response.ContentType()?.ToString());
        var body = await response.JsonAsync();
        Assert.Equal(["msdyn_name", "msdyn_ocwhatsappchannelaccountid", "_ownerid_value"], body.MemberNames());
        Assert.StartsWith("W/\"", response.Headers.ETag?.ToString()); // the header is HTTP's, not control information
    }

    [Fact]
    public async Task None_keeps_count_and_nextLink_and_the_next_page_answers_alike()
    {
        await server.Admin.CreateAccountAsync($"{_tag} p1");
        await server.Admin.CreateAccountAsync($"{_tag} p2");
        var url = $"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{_tag} p')&$orderby=msdyn_name&$count=true";

        using var first = await GetAsync(url, AcceptMetadata("none"), ("Prefer", "odata.maxpagesize=1"));
        var page = await first.JsonAsync();
        Assert.Equal(["@odata.count", "value", "@odata.nextLink"], page.MemberNames());
        Assert.Equal(2, page.GetProperty("@odata.count").GetInt32());
        Assert.Equal(["msdyn_name", "msdyn_ocwhatsappchannelaccountid"], page.GetProperty("value")[0].MemberNames());

        using var second = await GetAsync(page.GetProperty("@odata.nextLink").GetString()!, AcceptMetadata("none"), ("Prefer", "odata.maxpagesize=1"));
        var last = await second.JsonAsync();
        Assert.Equal($"{_tag} p2", last.GetProperty("value")[0].GetProperty("msdyn_name").GetString());
        Assert.False(last.TryGetProperty("@odata.nextLink", out _));
    }

    [Fact]
    public async Task None_leaves_out_the_type_and_etag_of_expanded_records_too()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} expand");

        using var response = await GetAsync($"{Accounts}({id})?$select=msdyn_name&$expand=ownerid,createdby($select=fullname)", AcceptMetadata("none"));

        var body = await response.JsonAsync();
        // Minimal writes the owner's @odata.type (a subtype of principal) and both ETags; none writes neither.
        Assert.DoesNotContain(body.GetProperty("ownerid").MemberNames(), n => n.StartsWith('@'));
        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("ownerid").GetProperty("systemuserid").GetGuid());
        Assert.Equal(["fullname", "ownerid", "systemuserid"], body.GetProperty("createdby").MemberNames().Order());
    }

    [Fact]
    public async Task None_still_writes_the_annotations_prefer_asks_for()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} annotated");

        using var response = await GetAsync($"{Accounts}({id})?$select=statecode,_ownerid_value", AcceptMetadata("none"), ("Prefer", "odata.include-annotations=\"*\""));

        Assert.Equal("odata.include-annotations=\"*\"", response.Header("Preference-Applied"));
        var body = await response.JsonAsync();
        Assert.Equal("Active", body.GetProperty("statecode@OData.Community.Display.V1.FormattedValue").GetString());
        Assert.Equal("systemuser", body.GetProperty("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        Assert.DoesNotContain(body.MemberNames(), n => n.StartsWith("@odata", StringComparison.Ordinal) || n.Contains("@odata.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Create_with_return_representation_answers_at_the_level_asked_for()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, $"{Accounts}?$select=msdyn_name", $$"""{"msdyn_name":"{{_tag}} created"}""",
            AcceptMetadata("none"), ("Prefer", "return=representation"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json; odata.metadata=none", response.ContentType()?.ToString());
        Assert.Equal(["msdyn_name", "msdyn_ocwhatsappchannelaccountid"], (await response.JsonAsync()).MemberNames());
    }

    [Fact]
    public async Task References_properties_and_the_service_document_lose_their_context_with_none()
    {
        var owner = await Principals.AddAdministratorAsync(server.Store, "Ref", _tag, server.Organization.RootBusinessUnitId);
        var id = await server.Admin.CreateAccountAsync($"{_tag} ref", $$""" "ownerid@odata.bind":"/systemusers({{owner}})" """);

        using var reference = await GetAsync($"{Accounts}({id})/ownerid/$ref", AcceptMetadata("none"));
        Assert.Equal(["@odata.id"], (await reference.JsonAsync()).MemberNames());

        using var references = await GetAsync($"systemusers({owner})/user_msdyn_ocwhatsappchannelaccount/$ref", AcceptMetadata("none"));
        var linked = await references.JsonAsync();
        Assert.Equal(["value"], linked.MemberNames());
        Assert.EndsWith($"/{Accounts}({id})", linked.GetProperty("value")[0].GetProperty("@odata.id").GetString());

        using var property = await GetAsync($"{Accounts}({id})/msdyn_name", AcceptMetadata("none"));
        Assert.Equal($$"""{"value":"{{_tag}} ref"}""", await property.Content.ReadAsStringAsync());

        using var service = await GetAsync("", AcceptMetadata("none"));
        var sets = await service.JsonAsync();
        Assert.Equal(["value"], sets.MemberNames());
        // Without a context URL to resolve against, ODataLib writes the sets' URLs absolute.
        var accounts = sets.GetProperty("value").EnumerateArray().Single(s => s.GetProperty("name").GetString() == Accounts);
        Assert.Equal(new Uri(server.Root, $"api/data/v9.2/{Accounts}").ToString(), accounts.GetProperty("url").GetString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("application/json;odata.metadata=minimal")]
    [InlineData("application/json;odata.streaming=true")]
    [InlineData("application/json;odata.metadata=none;q=0.5, application/json;q=0.9")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    public async Task Every_other_accept_for_json_gets_the_minimal_body_byte_for_byte(string? accept)
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} same");
        var url = $"{Accounts}({id})?$select=msdyn_name,createdon,_ownerid_value&$expand=createdby($select=fullname)";
        using var reference = await GetAsync(url);
        using var request = Request(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Authorization = server.Admin.DefaultRequestHeaders.Authorization;
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; odata.metadata=minimal", response.ContentType()?.ToString());
        Assert.Equal(await reference.Content.ReadAsStringAsync(), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("application/xml")]
    [InlineData("text/plain")]
    [InlineData("application/json;odata.metadata=bogus")]
    [InlineData("application/json;odata=verbose")]
    [InlineData("garbage")]
    public async Task An_accept_that_admits_no_json_is_406_in_dataverses_error_shape(string accept)
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} refused");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})", null, ("Accept", accept));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotAcceptable);
        Assert.Equal("0x0", code);
        Assert.Contains(accept, message);
        Assert.Equal("application/json; odata.metadata=minimal", response.ContentType()?.ToString());
    }

    [Fact]
    public async Task A_create_that_would_answer_with_the_record_is_refused_before_it_writes()
    {
        using var refused = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{_tag}} never"}""",
            ("Accept", "application/xml"), ("Prefer", "return=representation"));
        await refused.ErrorAsync(HttpStatusCode.NotAcceptable);

        // Without a body to write there is nothing to negotiate: 204, as before.
        using var created = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{_tag}} written"}""", ("Accept", "application/xml"));
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);

        var names = await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{_tag} ')");
        Assert.Equal([$"{_tag} written"], names.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()));
    }

    [Fact]
    public async Task An_error_names_the_level_asked_for_and_reads_the_same_at_every_level()
    {
        var missing = $"{Accounts}({Guid.NewGuid()})";
        using var minimal = await server.Admin.SendAsync(HttpMethod.Get, missing);
        using var none = await server.Admin.SendAsync(HttpMethod.Get, missing, null, AcceptMetadata("none"));

        await none.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("application/json; odata.metadata=none", none.ContentType()?.ToString());
        Assert.Equal(await minimal.Content.ReadAsStringAsync(), await none.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_request_of_a_batch_is_answered_at_the_level_its_own_accept_asks_for()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} batched");
        var url = $"{Accounts}({id})?$select=msdyn_name";
        var batch = new BatchBody()
            .Request("GET", url, null, AcceptMetadata("none"))
            .Request("GET", url, null, AcceptMetadata("full"))
            .Request("GET", url)
            .Request("GET", url, null, ("Accept", "application/xml"));

        using var response = await server.Admin.SendAsync(batch.ToRequest(continueOnError: true));

        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal([200, 200, 200, 406], parts.Select(p => p.Status));
        Assert.Equal("application/json; odata.metadata=none", parts[0].Headers["Content-Type"]);
        Assert.Equal(["msdyn_name", "msdyn_ocwhatsappchannelaccountid"], parts[0].Json.MemberNames());
        Assert.Equal("application/json; odata.metadata=full", parts[1].Headers["Content-Type"]);
        Assert.Equal("#Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount", parts[1].Json.GetProperty("@odata.type").GetString());
        Assert.Equal("application/json; odata.metadata=minimal", parts[2].Headers["Content-Type"]);
        Assert.True(parts[2].Json.TryGetProperty("@odata.context", out _));
        Assert.Equal("0x0", parts[3].ErrorCode);
    }

    [Fact]
    public async Task Metadata_resources_are_served_at_minimal_and_refuse_an_accept_without_json()
    {
        using var none = await GetAsync("EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')?$select=LogicalName", AcceptMetadata("none"));
        Assert.Equal("application/json; odata.metadata=minimal", none.ContentType()?.ToString());
        Assert.Equal("msdyn_ocwhatsappchannelaccount", (await none.JsonAsync()).GetProperty("LogicalName").GetString());

        using var xml = await server.Admin.SendAsync(HttpMethod.Get, "EntityDefinitions", null, ("Accept", "application/xml"));
        await xml.ErrorAsync(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task Csdl_count_and_raw_values_are_not_json_and_keep_answering_whatever_accept_says()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} raw");

        using var csdl = await GetAsync("$metadata", ("Accept", "application/xml"));
        Assert.Equal("application/xml", csdl.ContentType()?.MediaType);
        using var count = await GetAsync($"{Accounts}/$count", ("Accept", "text/plain"));
        Assert.Equal("text/plain", count.ContentType()?.MediaType);
        using var raw = await GetAsync($"{Accounts}({id})/msdyn_name/$value", AcceptMetadata("full"));
        Assert.Equal($"{_tag} raw", await raw.Content.ReadAsStringAsync());
    }
}

public sealed class MetadataLevelTestsOnSqlite(SqliteServerFixture server) : MetadataLevelTests(server), IClassFixture<SqliteServerFixture>;

public sealed class MetadataLevelTestsOnPostgres(PostgresServerFixture server) : MetadataLevelTests(server), IClassFixture<PostgresServerFixture>;
