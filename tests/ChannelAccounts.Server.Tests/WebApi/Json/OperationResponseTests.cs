using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>
/// Functions' and actions' complex results at each odata.metadata level, as ODataLib writes them: none leaves out the
/// context (and every @odata.type); full adds the @odata.type of each complex value and of each value JSON does not type.
/// </summary>
public abstract class OperationResponseTests(IServerFixture server)
{
    private readonly string _tag = "op" + Guid.NewGuid().ToString("N")[..8];

    private async Task<JsonElement> GetAsync(string url, string level)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, url, null, AcceptMetadata(level));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        Assert.Equal($"application/json; odata.metadata={level}", response.ContentType()?.ToString());
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private string Target(Guid id) => Uri.EscapeDataString($$"""{"@odata.id":"{{Accounts}}({{id}})"}""");

    [Fact]
    public async Task WhoAmI_at_none_is_the_three_ids_alone()
    {
        var body = await GetAsync("WhoAmI", "none");

        Assert.Equal(["BusinessUnitId", "UserId", "OrganizationId"], body.MemberNames());
    }

    [Fact]
    public async Task WhoAmI_at_full_names_its_complex_type_and_the_type_of_each_id()
    {
        var body = await GetAsync("WhoAmI", "full");

        Assert.Equal(
            ["@odata.context", "@odata.type", "BusinessUnitId@odata.type", "BusinessUnitId", "UserId@odata.type", "UserId",
             "OrganizationId@odata.type", "OrganizationId"],
            body.MemberNames());
        Assert.Equal("#Microsoft.Dynamics.CRM.WhoAmIResponse", body.GetProperty("@odata.type").GetString());
        Assert.Equal("#Guid", body.GetProperty("UserId@odata.type").GetString());
        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("UserId").GetGuid());
    }

    [Fact]
    public async Task WhoAmI_at_minimal_is_unchanged()
    {
        var body = await GetAsync("WhoAmI", "minimal");

        Assert.Equal(["@odata.context", "BusinessUnitId", "UserId", "OrganizationId"], body.MemberNames());
    }

    [Fact]
    public async Task RetrieveCurrentOrganization_at_full_types_each_nested_complex_value_and_enum()
    {
        var body = await GetAsync("RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default')", "full");

        Assert.Equal("#Microsoft.Dynamics.CRM.RetrieveCurrentOrganizationResponse", body.GetProperty("@odata.type").GetString());
        var detail = body.GetProperty("Detail");
        Assert.Equal("#Microsoft.Dynamics.CRM.OrganizationDetail", detail.GetProperty("@odata.type").GetString());
        Assert.Equal("#Guid", detail.GetProperty("OrganizationId@odata.type").GetString());
        Assert.Equal("#Microsoft.Dynamics.CRM.OrganizationState", detail.GetProperty("State@odata.type").GetString());
        var endpoints = detail.GetProperty("Endpoints");
        Assert.Equal("#Microsoft.Dynamics.CRM.EndpointCollection", endpoints.GetProperty("@odata.type").GetString());
        Assert.Equal("#Collection(Microsoft.Dynamics.CRM.EndpointType)", endpoints.GetProperty("Keys@odata.type").GetString());
        Assert.Equal("#Collection(String)", endpoints.GetProperty("Values@odata.type").GetString());
        Assert.Equal("#Microsoft.Dynamics.CRM.RetrieveVersionResponse", (await GetAsync("RetrieveVersion", "full")).GetProperty("@odata.type").GetString());
    }

    [Fact]
    public async Task The_access_functions_type_their_rights_at_full_and_drop_the_principals_type_at_none()
    {
        var colleague = await Principals.AddAdministratorAsync(server.Store, "Shared", _tag, server.Organization.RootBusinessUnitId);
        var id = await server.Admin.CreateAccountAsync($"{_tag} shared");
        using var grant = await server.Admin.SendAsync(HttpMethod.Post, "GrantAccess",
            $$"""{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{id}}"},""" +
            $$$""" "PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{{colleague}}}"},"AccessMask":"ReadAccess"}}""");
        Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);

        var rights = await GetAsync($"systemusers({colleague})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={Target(id)}", "full");
        Assert.Equal("#Microsoft.Dynamics.CRM.AccessRights", rights.GetProperty("AccessRights@odata.type").GetString());

        var full = await GetAsync($"RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1={Target(id)}", "full");
        Assert.Equal("#Collection(Microsoft.Dynamics.CRM.PrincipalAccess)", full.GetProperty("PrincipalAccesses@odata.type").GetString());
        var share = Assert.Single(full.GetProperty("PrincipalAccesses").EnumerateArray());
        Assert.Equal(["@odata.type", "AccessMask@odata.type", "AccessMask", "Principal"], share.MemberNames());
        Assert.Equal(["@odata.type", "ownerid@odata.type", "ownerid"], share.GetProperty("Principal").MemberNames());

        var none = await GetAsync($"RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1={Target(id)}", "none");
        var principal = Assert.Single(none.GetProperty("PrincipalAccesses").EnumerateArray()).GetProperty("Principal");
        Assert.Equal(["ownerid"], principal.MemberNames());
        Assert.Equal(colleague, principal.GetProperty("ownerid").GetGuid());
    }

    [Fact]
    public async Task IsValidStateTransition_at_none_is_its_answer_alone()
    {
        var id = await server.Admin.CreateAccountAsync($"{_tag} state");

        var body = await GetAsync($"IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@n)?@e={Target(id)}&@s='Inactive'&@n=2", "none");

        Assert.Equal("""{"IsValid":true}""", body.GetRawText());
    }

    [Fact]
    public async Task CreateMultiple_at_full_types_its_ids_and_with_an_accept_without_json_writes_nothing()
    {
        var url = $"{Accounts}/Microsoft.Dynamics.CRM.CreateMultiple";
        string Body(string name) => $$"""{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_name":"{{_tag}} {{name}}"}]}""";

        using var refused = await server.Admin.SendAsync(HttpMethod.Post, url, Body("refused"), ("Accept", "application/xml"));
        await refused.ErrorAsync(HttpStatusCode.NotAcceptable);

        using var created = await server.Admin.SendAsync(HttpMethod.Post, url, Body("made"), AcceptMetadata("full"));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var body = await created.JsonAsync();
        Assert.Equal(["@odata.context", "@odata.type", "Ids@odata.type", "Ids"], body.MemberNames());
        Assert.Equal("#Collection(Guid)", body.GetProperty("Ids@odata.type").GetString());

        var names = await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{_tag} ')");
        Assert.Equal([$"{_tag} made"], names.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()));
    }
}

public sealed class OperationResponseTestsOnSqlite(SqliteServerFixture server) : OperationResponseTests(server), IClassFixture<SqliteServerFixture>;

public sealed class OperationResponseTestsOnPostgres(PostgresServerFixture server) : OperationResponseTests(server), IClassFixture<PostgresServerFixture>;
