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
