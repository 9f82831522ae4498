using System.Net;
using System.Xml;
using ChannelAccounts.Server.Tests.Infrastructure;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

public abstract class ServiceEndpointsTests(IServerFixture server)
{
    [Theory]
    [InlineData("9.0")]
    [InlineData("9.1")]
    [InlineData("9.2")]
    public async Task WhoAmI_answers_the_callers_ids_on_every_version(string version)
    {
        using var client = server.ClientFor(server.Organization.AdminUserId, version);

        var body = await client.GetJsonAsync("WhoAmI");

        Assert.Equal(server.Organization.AdminUserId, body.GetProperty("UserId").GetGuid());
        Assert.Equal(server.Organization.RootBusinessUnitId, body.GetProperty("BusinessUnitId").GetGuid());
        Assert.Equal(server.Organization.OrganizationId, body.GetProperty("OrganizationId").GetGuid());
        Assert.EndsWith($"/api/data/v{version}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse", body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task WhoAmI_of_another_user_names_that_user_and_their_business_unit()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Field " + Guid.NewGuid(), server.Organization.RootBusinessUnitId);
        var user = await Principals.AddUserAsync(server.Store, "Wanda", "Who", unit);
        using var client = server.ClientFor(user);

        var body = await client.GetJsonAsync("WhoAmI()");

        Assert.Equal(user, body.GetProperty("UserId").GetGuid());
        Assert.Equal(unit, body.GetProperty("BusinessUnitId").GetGuid());
    }

    [Theory]
    [InlineData("RetrieveVersion")]
    [InlineData("RetrieveVersion()")]
    public async Task RetrieveVersion_answers_a_9_2_version_that_clients_can_compare(string url)
    {
        var body = await server.Admin.GetJsonAsync(url);

        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.RetrieveVersionResponse", body.GetProperty("@odata.context").GetString());
        var version = Version.Parse(body.GetProperty("Version").GetString()!);
        Assert.Equal((9, 2), (version.Major, version.Minor));
        Assert.True(version >= new Version("9.2.23041.196"), $"{version} is older than the feature minimums clients check");
    }

    [Theory]
    [InlineData("RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default')")]
    [InlineData("RetrieveCurrentOrganization(AccessType=@p1)?@p1=Microsoft.Dynamics.CRM.EndpointAccessType'Internet'")]
    public async Task RetrieveCurrentOrganization_describes_the_callers_organization_and_its_web_address(string url)
    {
        var body = await server.Admin.GetJsonAsync(url);

        var detail = body.GetProperty("Detail");
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.RetrieveCurrentOrganizationResponse", body.GetProperty("@odata.context").GetString());
        Assert.Equal(server.Organization.OrganizationId, detail.GetProperty("OrganizationId").GetGuid());
        Assert.False(string.IsNullOrEmpty(detail.GetProperty("FriendlyName").GetString()));
        Assert.Matches("^[a-z0-9]+$", detail.GetProperty("UniqueName").GetString());
        Assert.Equal((await server.Admin.GetJsonAsync("RetrieveVersion")).GetProperty("Version").GetString(), detail.GetProperty("OrganizationVersion").GetString());
        Assert.Equal("Enabled", detail.GetProperty("State").GetString());
        var endpoints = detail.GetProperty("Endpoints");
        var web = endpoints.GetProperty("Keys").EnumerateArray().Select(k => k.GetString()).ToList().IndexOf("WebApplication");
        Assert.Equal(server.Root.ToString(), endpoints.GetProperty("Values")[web].GetString());
    }

    [Theory]
    [InlineData("RetrieveCurrentOrganization()", "needs the parameter 'AccessType'")]
    [InlineData("RetrieveCurrentOrganization(AccessType=@p1)?@p1='Nowhere'", "must be one of Default, Internet, Intranet")]
    [InlineData("RetrieveCurrentOrganization(AccessType=@p1)?@p1='Default,Internet'", "must be one of Default, Internet, Intranet")]
    [InlineData("RetrieveCurrentOrganization(AccessType=@p1)?@p1='0'", "must be one of Default, Internet, Intranet")]
    public async Task RetrieveCurrentOrganization_without_a_valid_access_type_is_400(string url, string expected)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, url);

        Assert.Contains(expected, (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }

    [Fact]
    public async Task The_service_document_lists_the_entity_sets()
    {
        var body = await server.Admin.GetJsonAsync("");

        Assert.EndsWith("/api/data/v9.2/$metadata", body.GetProperty("@odata.context").GetString());
        var sets = body.GetProperty("value").EnumerateArray().ToList();
        Assert.Contains(sets, s => s.GetProperty("name").GetString() == Accounts && s.GetProperty("kind").GetString() == "EntitySet" && s.GetProperty("url").GetString() == Accounts);
    }

    [Fact]
    public async Task Metadata_is_CSDL_that_the_OData_reader_reads_back()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "$metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csdl = await response.Content.ReadAsStringAsync();
        Assert.Contains("<Schema Namespace=\"Microsoft.Dynamics.CRM\" Alias=\"mscrm\"", csdl);
        using var reader = XmlReader.Create(new StringReader(csdl));
        Assert.True(CsdlReader.TryParse(reader, out var model, out var errors), string.Join("; ", errors ?? []));
        Assert.Equal("mscrm", model.GetNamespaceAlias("Microsoft.Dynamics.CRM"));
        var account = (IEdmEntityType)model.FindDeclaredType("Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount");
        Assert.NotNull(account);
        Assert.Equal("msdyn_ocwhatsappchannelaccountid", Assert.Single(account.Key()).Name);
        Assert.Equal("Microsoft.Dynamics.CRM.crmbaseentity", account.BaseEntityType().FullName());
        // principal is keyed on ownerid, as in Dataverse's CSDL, while systemuser keeps its own key
        Assert.Equal("ownerid", Assert.Single(((IEdmEntityType)model.FindDeclaredType("Microsoft.Dynamics.CRM.principal")).DeclaredKey).Name);
        Assert.Equal("systemuserid", Assert.Single(((IEdmEntityType)model.FindDeclaredType("Microsoft.Dynamics.CRM.systemuser")).Key()).Name);

        var createdBy = (IEdmNavigationProperty)account.FindProperty("createdby");
        Assert.Equal("lk_msdyn_ocwhatsappchannelaccount_createdby", createdBy.Partner.Name);
        Assert.Equal("Microsoft.Dynamics.CRM.systemuser", createdBy.Partner.DeclaringEntityType().FullName());
        Assert.True(createdBy.Partner.Type.IsCollection());
        Assert.Equal("_createdby_value", Assert.Single(createdBy.ReferentialConstraint.PropertyPairs).DependentProperty.Name);
        Assert.Equal("owner_msdyn_ocwhatsappchannelaccount", ((IEdmNavigationProperty)account.FindProperty("ownerid")).Partner.Name);
        Assert.Equal("team_msdyn_ocwhatsappchannelaccount", ((IEdmNavigationProperty)account.FindProperty("owningteam")).Partner.Name);
        Assert.Equal("business_unit_msdyn_ocwhatsappchannelaccount", ((IEdmNavigationProperty)account.FindProperty("owningbusinessunit")).Partner.Name);
        Assert.Equal("user_msdyn_ocwhatsappchannelaccount", ((IEdmNavigationProperty)account.FindProperty("owninguser")).Partner.Name);

        var rights = Assert.IsAssignableFrom<IEdmEnumType>(model.FindDeclaredType("Microsoft.Dynamics.CRM.AccessRights"));
        Assert.True(rights.IsFlags);
        Assert.Contains(rights.Members, m => m.Name == "AssignAccess" && m.Value.Value == 524288);
        var grant = Assert.Single(model.FindDeclaredOperations("Microsoft.Dynamics.CRM.GrantAccess"));
        Assert.IsAssignableFrom<IEdmAction>(grant);
        Assert.Equal(["Target", "PrincipalAccess"], grant.Parameters.Select(p => p.Name));
        Assert.Single(model.EntityContainer.FindOperationImports("GrantAccess"));
    }

    [Fact]
    public async Task An_unknown_version_is_404()
    {
        using var client = server.ClientFor(server.Organization.AdminUserId, "8.2");

        using var response = await client.SendAsync(HttpMethod.Get, "WhoAmI");

        await response.ErrorAsync(HttpStatusCode.NotFound);
    }
}

public sealed class ServiceEndpointsTestsOnSqlite(SqliteServerFixture server) : ServiceEndpointsTests(server), IClassFixture<SqliteServerFixture>;

public sealed class ServiceEndpointsTestsOnPostgres(PostgresServerFixture server) : ServiceEndpointsTests(server), IClassFixture<PostgresServerFixture>;
