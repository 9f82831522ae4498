using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.WebApi.Edm;
using Microsoft.OData.Edm;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>
/// Accept: application/json;odata.metadata=full on records, in the shape a Dataverse response at full shows (ODataLib
/// writing for ASP.NET OData): each record's @odata.type, @odata.id, @odata.etag and @odata.editLink; "x@odata.type"
/// before Guid, DateTimeOffset and Int64 values; the navigation links after the properties.
/// </summary>
public abstract class FullMetadataTests(IServerFixture server)
{
    private const string AccountType = "#Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount";
    private readonly string _tag = "full" + Guid.NewGuid().ToString("N")[..8];

    private string ServiceRoot => new Uri(server.Root, "api/data/v9.2/").ToString();

    private static IReadOnlyList<string> NavigationsOf(string table) =>
        ((IEdmEntityType)EdmModelBuilder.Default.FindDeclaredType("Microsoft.Dynamics.CRM." + table)).NavigationProperties().Select(n => n.Name).ToList();

    private static List<string> LinkedNavigations(JsonElement record) =>
        record.MemberNames().Where(n => n.EndsWith("@odata.navigationLink", StringComparison.Ordinal)).Select(n => n[..n.IndexOf('@')]).ToList();

    private async Task<(JsonElement Body, HttpResponseMessage Response)> FullAsync(HttpMethod method, string url, string? json = null, params (string Name, string Value)[] headers)
    {
        var response = await server.Admin.SendAsync(method, url, json, [AcceptMetadata("full"), .. headers]);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {url}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json; odata.metadata=full", response.ContentType()?.ToString());
        return (JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private async Task<JsonElement> GetFullAsync(string url, params (string Name, string Value)[] headers) =>
        (await FullAsync(HttpMethod.Get, url, null, headers)).Body;

    [Fact]
    public async Task Accept_odata_metadata_full_adds_type_id_and_edit_link_to_a_record()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} identity");

        var (body, response) = await FullAsync(HttpMethod.Get, $"{Accounts}({id})?$select=msdyn_name");

        Assert.Equal(["@odata.context", "@odata.type", "@odata.id", "@odata.etag", "@odata.editLink"], body.MemberNames().Take(5));
        Assert.EndsWith($"$metadata#{Accounts}(msdyn_name)/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal(AccountType, body.GetProperty("@odata.type").GetString());
        Assert.Equal($"{ServiceRoot}{Accounts}({id})", body.GetProperty("@odata.id").GetString());
        Assert.Equal(response.Headers.ETag?.ToString(), body.GetProperty("@odata.etag").GetString());
        Assert.Equal($"{Accounts}({id})", body.GetProperty("@odata.editLink").GetString()); // relative, as Dataverse writes it
    }

    [Fact]
    public async Task Full_annotates_the_type_of_each_value_whose_json_does_not_tell_it()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} typed");

        var body = await GetFullAsync($"{Accounts}({id})?$select=msdyn_name,statecode,createdon,versionnumber,_ownerid_value,_owningteam_value");

        var names = body.MemberNames();
        foreach (var (property, type) in new[] { ("msdyn_ocwhatsappchannelaccountid", "#Guid"), ("createdon", "#DateTimeOffset"), ("versionnumber", "#Int64"), ("_ownerid_value", "#Guid") })
        {
            Assert.Equal(type, body.GetProperty(property + "@odata.type").GetString());
            Assert.Equal(names.IndexOf(property + "@odata.type") + 1, names.IndexOf(property));
        }

        // Strings and Int32 values tell their type; a null value has none to tell.
        Assert.DoesNotContain("msdyn_name@odata.type", names);
        Assert.DoesNotContain("statecode@odata.type", names);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("_owningteam_value").ValueKind);
        Assert.DoesNotContain("_owningteam_value@odata.type", names);
    }

    [Fact]
    public async Task Full_links_the_selected_lookups_after_every_property()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} links");

        var body = await GetFullAsync($"{Accounts}({id})?$select=msdyn_name,_ownerid_value,_createdby_value");

        var names = body.MemberNames();
        Assert.Equal(["createdby", "ownerid"], LinkedNavigations(body).Order());
        var firstLink = names.FindIndex(n => n.Contains("@odata.associationLink", StringComparison.Ordinal));
        Assert.All(names.Skip(firstLink), n => Assert.Contains("Link", n, StringComparison.Ordinal));
        Assert.Equal($"{ServiceRoot}{Accounts}({id})/ownerid/$ref", body.GetProperty("ownerid@odata.associationLink").GetString());
        Assert.Equal($"{ServiceRoot}{Accounts}({id})/ownerid", body.GetProperty("ownerid@odata.navigationLink").GetString());
    }

    [Fact]
    public async Task Full_without_select_links_every_navigation_property_of_the_type()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} all");

        var body = await GetFullAsync($"{Accounts}({id})");

        Assert.Equal(NavigationsOf("msdyn_ocwhatsappchannelaccount"), LinkedNavigations(body));
        Assert.Equal(LinkedNavigations(body), body.MemberNames().Where(n => n.EndsWith("@odata.associationLink", StringComparison.Ordinal)).Select(n => n[..n.IndexOf('@')]));
    }

    [Fact]
    public async Task Full_writes_the_annotations_prefer_asks_for_before_the_type_annotation()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} annotated");

        var body = await GetFullAsync($"{Accounts}({id})?$select=_ownerid_value,createdon", ("Prefer", "odata.include-annotations=\"*\""));

        var names = body.MemberNames();
        var start = names.IndexOf("_ownerid_value@OData.Community.Display.V1.FormattedValue");
        Assert.Equal(
            ["_ownerid_value@OData.Community.Display.V1.FormattedValue", "_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty",
             "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname", "_ownerid_value@odata.type", "_ownerid_value"],
            names.Skip(start).Take(5));
        Assert.Equal(["createdon@OData.Community.Display.V1.FormattedValue", "createdon@odata.type", "createdon"],
            names.Skip(names.IndexOf("createdon@OData.Community.Display.V1.FormattedValue")).Take(3));
    }

    [Fact]
    public async Task Full_expanded_records_carry_their_own_control_information_after_their_propertys_links()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} expanded");
        var admin = server.Organization.AdminUserId;

        var body = await GetFullAsync($"{Accounts}({id})?$select=msdyn_name&$expand=ownerid($select=ownerid),createdby");

        var names = body.MemberNames();
        Assert.Equal(["ownerid@odata.associationLink", "ownerid@odata.navigationLink", "ownerid"], names.Skip(names.IndexOf("ownerid@odata.associationLink")).Take(3));
        Assert.Equal(["createdby@odata.associationLink", "createdby@odata.navigationLink", "createdby"], names.Skip(names.IndexOf("createdby@odata.associationLink")).Take(3));
        var owner = body.GetProperty("ownerid");
        // A $select without versionnumber reads no version, so no ETag, as at minimal; createdby reads every column.
        Assert.Equal(["@odata.type", "@odata.id", "@odata.editLink"], owner.MemberNames().Take(3));
        Assert.Equal(["@odata.type", "@odata.id", "@odata.etag", "@odata.editLink"], body.GetProperty("createdby").MemberNames().Take(4));
        Assert.Equal("#Microsoft.Dynamics.CRM.systemuser", owner.GetProperty("@odata.type").GetString());
        Assert.Equal($"{ServiceRoot}systemusers({admin})", owner.GetProperty("@odata.id").GetString());
        Assert.Equal($"systemusers({admin})", owner.GetProperty("@odata.editLink").GetString());
        Assert.Equal("#Guid", owner.GetProperty("systemuserid@odata.type").GetString());
        Assert.Equal("#Guid", owner.GetProperty("ownerid@odata.type").GetString());
        Assert.Empty(LinkedNavigations(owner)); // its $select holds no lookup
        Assert.Equal(NavigationsOf("systemuser"), LinkedNavigations(body.GetProperty("createdby"))); // no $select: every one
    }

    [Fact]
    public async Task Full_gives_each_record_of_a_page_its_identity_and_keeps_count_and_nextLink()
    {
        var first = await server.Admin.CreateAccountAsync($"{_tag} r1");
        await server.Admin.CreateAccountAsync($"{_tag} r2");

        var page = await GetFullAsync($"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{_tag} r')&$orderby=msdyn_name&$count=true",
            ("Prefer", "odata.maxpagesize=1"));

        Assert.Equal(["@odata.context", "@odata.count", "value", "@odata.nextLink"], page.MemberNames());
        var row = Assert.Single(page.GetProperty("value").EnumerateArray());
        Assert.Equal(AccountType, row.GetProperty("@odata.type").GetString());
        Assert.Equal($"{Accounts}({first})", row.GetProperty("@odata.editLink").GetString());
        Assert.StartsWith("W/\"", row.GetProperty("@odata.etag").GetString());
    }

    [Fact]
    public async Task Full_writes_an_expanded_collection_after_its_links_with_full_records_in_it()
    {
        var owner = await Principals.AddAdministratorAsync(server.Store, "Full", _tag, server.Organization.RootBusinessUnitId);
        var id = await server.Admin.CreateAccountAsync($"{_tag} owned", $$""" "ownerid@odata.bind":"/systemusers({{owner}})" """);
        const string navigation = "user_msdyn_ocwhatsappchannelaccount";

        var body = await GetFullAsync($"systemusers({owner})?$select=lastname&$expand={navigation}($select=msdyn_name)");

        var names = body.MemberNames();
        Assert.Equal([$"{navigation}@odata.associationLink", $"{navigation}@odata.navigationLink", navigation, $"{navigation}@odata.nextLink"], names.TakeLast(4));
        Assert.Equal($"{ServiceRoot}systemusers({owner})/{navigation}", body.GetProperty($"{navigation}@odata.navigationLink").GetString());
        var related = Assert.Single(body.GetProperty(navigation).EnumerateArray());
        Assert.Equal($"{ServiceRoot}{Accounts}({id})", related.GetProperty("@odata.id").GetString());
        Assert.Equal("#Guid", related.GetProperty("msdyn_ocwhatsappchannelaccountid@odata.type").GetString());
    }

    [Fact]
    public async Task Full_answers_a_create_and_an_update_with_return_representation()
    {
        var (created, createResponse) = await FullAsync(HttpMethod.Post, $"{Accounts}?$select=msdyn_name", $$"""{"msdyn_name":"{{_tag}} made"}""",
            ("Prefer", "return=representation"));
        Assert.Equal(HttpStatusCode.Created, createResponse.StatusCode);
        Assert.Equal(AccountType, created.GetProperty("@odata.type").GetString());
        var id = created.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid();

        var (updated, updateResponse) = await FullAsync(HttpMethod.Patch, $"{Accounts}({id})?$select=msdyn_name", $$"""{"msdyn_name":"{{_tag}} remade"}""",
            ("Prefer", "return=representation"), ("If-Match", "*"));
        Assert.Equal(HttpStatusCode.OK, updateResponse.StatusCode);
        Assert.Equal($"{ServiceRoot}{Accounts}({id})", updated.GetProperty("@odata.id").GetString());
        Assert.Equal($"{_tag} remade", updated.GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task Full_types_a_property_read_alone_when_its_json_does_not_and_leaves_references_as_at_minimal()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} alone");

        var owner = await GetFullAsync($"{Accounts}({id})/_ownerid_value");
        Assert.Equal(["@odata.context", "@odata.type", "value"], owner.MemberNames());
        Assert.Equal("#Guid", owner.GetProperty("@odata.type").GetString());
        Assert.Equal(["@odata.context", "value"], (await GetFullAsync($"{Accounts}({id})/msdyn_name")).MemberNames());

        var reference = await GetFullAsync($"{Accounts}({id})/ownerid/$ref");
        Assert.Equal(["@odata.context", "@odata.id"], reference.MemberNames());
    }

    [Fact]
    public async Task Full_gives_fetchxml_rows_their_identity_and_types_their_linked_values()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} fetched");
        var fetch = "<fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name'/><attribute name='ownerid'/>" +
                    "<filter><condition attribute='msdyn_ocwhatsappchannelaccountid' operator='eq' value='" + id + "'/></filter>" +
                    "<link-entity name='systemuser' from='systemuserid' to='createdby' alias='creator'><attribute name='systemuserid'/></link-entity>" +
                    "</entity></fetch>";

        var page = await GetFullAsync($"{Accounts}?fetchXml={Uri.EscapeDataString(fetch)}");

        var row = Assert.Single(page.GetProperty("value").EnumerateArray());
        Assert.Equal($"{ServiceRoot}{Accounts}({id})", row.GetProperty("@odata.id").GetString());
        var names = row.MemberNames();
        Assert.Equal(names.IndexOf("creator_x002e_systemuserid@odata.type") + 1, names.IndexOf("creator_x002e_systemuserid"));
        Assert.Equal("#Guid", row.GetProperty("creator_x002e_systemuserid@odata.type").GetString());
    }
}

public sealed class FullMetadataTestsOnSqlite(SqliteServerFixture server) : FullMetadataTests(server), IClassFixture<SqliteServerFixture>;

public sealed class FullMetadataTestsOnPostgres(PostgresServerFixture server) : FullMetadataTests(server), IClassFixture<PostgresServerFixture>;
