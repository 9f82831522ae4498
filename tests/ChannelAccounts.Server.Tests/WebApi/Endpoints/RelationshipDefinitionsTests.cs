using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

/// <summary>RelationshipDefinitions and a table's relationships, named as the $metadata navigation partners are.</summary>
public abstract class RelationshipDefinitionsTests(IServerFixture server)
{
    private const string Table = "EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')";

    private static Dictionary<string, JsonElement> BySchemaName(JsonElement body) =>
        body.GetProperty("value").EnumerateArray().ToDictionary(r => r.GetProperty("SchemaName").GetString()!);

    [Fact]
    public async Task A_lookups_relationship_names_both_sides_and_the_navigation_properties_of_metadata()
    {
        var body = await server.Admin.GetJsonAsync("RelationshipDefinitions(SchemaName='lk_msdyn_ocwhatsappchannelaccount_createdby')");

        Assert.EndsWith("$metadata#RelationshipDefinitions/Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal("#Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata", body.GetProperty("@odata.type").GetString());
        Assert.Equal("OneToManyRelationship", body.GetProperty("RelationshipType").GetString());
        Assert.Equal("systemuser", body.GetProperty("ReferencedEntity").GetString());
        Assert.Equal("systemuserid", body.GetProperty("ReferencedAttribute").GetString());
        Assert.Equal("msdyn_ocwhatsappchannelaccount", body.GetProperty("ReferencingEntity").GetString());
        Assert.Equal("createdby", body.GetProperty("ReferencingAttribute").GetString());
        Assert.Equal("createdby", body.GetProperty("ReferencingEntityNavigationPropertyName").GetString());

        // The same names as the navigation properties $metadata declares on both types.
        var metadata = await server.Admin.GetStringAsync("$metadata");
        Assert.Contains("Name=\"lk_msdyn_ocwhatsappchannelaccount_createdby\"", metadata);

        var byId = await server.Admin.GetJsonAsync($"RelationshipDefinitions({body.GetProperty("MetadataId").GetGuid()})");
        Assert.Equal("lk_msdyn_ocwhatsappchannelaccount_createdby", byId.GetProperty("SchemaName").GetString());
    }

    [Fact]
    public async Task The_collection_holds_both_types_and_a_cast_holds_one()
    {
        var all = BySchemaName(await server.Admin.GetJsonAsync("RelationshipDefinitions"));
        Assert.Equal("#Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata", all["teammembership_association"].GetProperty("@odata.type").GetString());
        Assert.Equal("teammembership", all["teammembership_association"].GetProperty("IntersectEntityName").GetString());
        Assert.Equal("owner", all["owner_msdyn_ocwhatsappchannelaccount"].GetProperty("ReferencedEntity").GetString());

        var manyToMany = BySchemaName(await server.Admin.GetJsonAsync("RelationshipDefinitions/Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata?$select=SchemaName,Entity1LogicalName"));
        Assert.Equal(["systemuserroles_association", "teammembership_association", "teamroles_association"], manyToMany.Keys.Order());
        Assert.False(manyToMany["teamroles_association"].TryGetProperty("IntersectEntityName", out _));
    }

    [Fact]
    public async Task A_table_lists_its_relationships_by_side_and_a_filter_narrows_them()
    {
        var manyToOne = BySchemaName(await server.Admin.GetJsonAsync(Table + "/ManyToOneRelationships?$select=SchemaName,ReferencedEntity"));
        Assert.Contains("business_unit_msdyn_ocwhatsappchannelaccount", manyToOne.Keys);
        Assert.Equal("businessunit", manyToOne["business_unit_msdyn_ocwhatsappchannelaccount"].GetProperty("ReferencedEntity").GetString());

        var oneToMany = BySchemaName(await server.Admin.GetJsonAsync(Table + "/OneToManyRelationships"));
        Assert.Equal("ca_whatsappmessage", oneToMany["ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage"].GetProperty("ReferencingEntity").GetString());

        var users = BySchemaName(await server.Admin.GetJsonAsync(
            "EntityDefinitions(LogicalName='systemuser')/ManyToManyRelationships?$filter=IntersectEntityName eq 'systemuserroles'"));
        Assert.Equal("systemuserroles_association", Assert.Single(users.Keys));

        var filtered = BySchemaName(await server.Admin.GetJsonAsync(
            "RelationshipDefinitions/Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata?$filter=ReferencingEntity eq 'msdyn_ocwhatsappchannelaccount' and ReferencedEntity eq 'team'"));
        Assert.Equal("team_msdyn_ocwhatsappchannelaccount", Assert.Single(filtered.Keys));
    }

    [Theory]
    [InlineData("RelationshipDefinitions(SchemaName='nope')", HttpStatusCode.NotFound)]
    [InlineData("RelationshipDefinitions(SchemaName='teamroles_association')/Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata", HttpStatusCode.NotFound)]
    [InlineData("RelationshipDefinitions/Microsoft.Dynamics.CRM.AttributeMetadata", HttpStatusCode.NotFound)]
    [InlineData("RelationshipDefinitions?$select=ReferencedEntity", HttpStatusCode.BadRequest)]
    [InlineData("RelationshipDefinitions?$top=1", HttpStatusCode.BadRequest)]
    [InlineData("RelationshipDefinitions(SchemaName='teamroles_association')?$filter=SchemaName eq 'x'", HttpStatusCode.BadRequest)]
    public async Task A_relationship_request_it_cannot_answer_is_an_error_saying_so(string path, HttpStatusCode status)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, path);

        var (code, message) = await response.ErrorAsync(status);
        Assert.True(code.StartsWith("0x", StringComparison.Ordinal) || code.Length == 0 && message.StartsWith("No HTTP resource", StringComparison.Ordinal), code);
        Assert.NotEmpty(message);
    }

    [Fact]
    public async Task Relationships_are_read_only()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "RelationshipDefinitions", """{"SchemaName":"new_x"}""");

        await response.ErrorAsync(HttpStatusCode.MethodNotAllowed);
    }
}

public sealed class RelationshipDefinitionsTestsOnSqlite(SqliteServerFixture server) : RelationshipDefinitionsTests(server), IClassFixture<SqliteServerFixture>;

public sealed class RelationshipDefinitionsTestsOnPostgres(PostgresServerFixture server) : RelationshipDefinitionsTests(server), IClassFixture<PostgresServerFixture>;
