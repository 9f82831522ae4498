using System.Net;
using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

public abstract class EntityDefinitionsTests(IServerFixture server)
{
    private const string Table = "EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')";

    private static string Label(JsonElement label) => label.GetProperty("UserLocalizedLabel").GetProperty("Label").GetString()!;

    private static Dictionary<string, JsonElement> ByName(JsonElement body) =>
        body.GetProperty("value").EnumerateArray().ToDictionary(a => a.GetProperty("LogicalName").GetString()!);

    [Fact]
    public async Task A_table_definition_answers_its_names_ownership_and_labels()
    {
        var body = await server.Admin.GetJsonAsync(Table);

        Assert.EndsWith("/api/data/v9.2/$metadata#EntityDefinitions/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal("msdyn_ocwhatsappchannelaccount", body.GetProperty("LogicalName").GetString());
        Assert.Equal("msdyn_ocwhatsappchannelaccount", body.GetProperty("SchemaName").GetString());
        Assert.Equal(Accounts, body.GetProperty("EntitySetName").GetString());
        Assert.Equal("msdyn_ocwhatsappchannelaccountid", body.GetProperty("PrimaryIdAttribute").GetString());
        Assert.Equal("msdyn_name", body.GetProperty("PrimaryNameAttribute").GetString());
        Assert.Equal("UserOwned", body.GetProperty("OwnershipType").GetString());
        Assert.Equal(10673, body.GetProperty("ObjectTypeCode").GetInt32());
        Assert.False(body.GetProperty("IsBPFEntity").GetBoolean());
        Assert.Equal("WhatsApp account", Label(body.GetProperty("DisplayName")));
        Assert.Equal("WhatsApp accounts", Label(body.GetProperty("DisplayCollectionName")));
        var localized = Assert.Single(body.GetProperty("Description").GetProperty("LocalizedLabels").EnumerateArray());
        Assert.Equal("WhatsApp accounts for Omnichannel integration", localized.GetProperty("Label").GetString());
        Assert.Equal(1033, localized.GetProperty("LanguageCode").GetInt32());
    }

    [Fact]
    public async Task The_metadata_id_of_a_table_is_stable_and_addresses_it()
    {
        var first = (await server.Admin.GetJsonAsync(Table)).GetProperty("MetadataId").GetGuid();
        var second = (await server.Admin.GetJsonAsync(Table + "?$select=LogicalName")).GetProperty("MetadataId").GetGuid();

        Assert.Equal(first, second);
        var byId = await server.Admin.GetJsonAsync($"EntityDefinitions({first})?$select=LogicalName");
        Assert.Equal("msdyn_ocwhatsappchannelaccount", byId.GetProperty("LogicalName").GetString());
    }

    [Fact]
    public async Task Select_on_a_table_definition_returns_the_named_properties_and_MetadataId()
    {
        var body = await server.Admin.GetJsonAsync(Table + "?$select=EntitySetName,OwnershipType");

        Assert.EndsWith("$metadata#EntityDefinitions(EntitySetName,OwnershipType)/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal(["@odata.context", "MetadataId", "EntitySetName", "OwnershipType"], body.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Selecting_an_unknown_property_of_a_table_definition_is_400()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Table + "?$select=Nope");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Could not find a property named 'Nope' on type 'Microsoft.Dynamics.CRM.EntityMetadata'.", message);
    }

    [Fact]
    public async Task The_table_definitions_list_every_table_of_the_catalog()
    {
        var body = await server.Admin.GetJsonAsync("EntityDefinitions?$select=LogicalName");

        Assert.EndsWith("$metadata#EntityDefinitions(LogicalName)", body.GetProperty("@odata.context").GetString());
        var names = body.GetProperty("value").EnumerateArray().Select(e => e.GetProperty("LogicalName").GetString()).ToList();
        Assert.Equal(MetadataCatalog.Default.Entities.Select(e => e.LogicalName), names);
        Assert.All(body.GetProperty("value").EnumerateArray(), e => Assert.Equal(2, e.EnumerateObject().Count()));
    }

    [Fact]
    public async Task A_filter_on_the_ownership_type_lists_the_user_owned_tables()
    {
        var body = await server.Admin.GetJsonAsync(
            "EntityDefinitions?$select=LogicalName,OwnershipType&$filter=OwnershipType eq Microsoft.Dynamics.CRM.OwnershipTypes'UserOwned'");

        var tables = body.GetProperty("value").EnumerateArray().ToList();
        Assert.Contains(tables, t => t.GetProperty("LogicalName").GetString() == MetadataCatalog.WhatsAppAccount);
        Assert.All(tables, t => Assert.Equal("UserOwned", t.GetProperty("OwnershipType").GetString()));
    }

    [Fact]
    public async Task The_public_tables_are_listed_by_IsPrivate_eq_false_as_the_Python_client_lists_tables()
    {
        var body = await server.Admin.GetJsonAsync(
            "EntityDefinitions?$select=LogicalName,IsPrivate&$filter=IsPrivate eq false and LogicalName eq 'msdyn_ocwhatsappchannelaccount'");

        var table = Assert.Single(body.GetProperty("value").EnumerateArray());
        Assert.Equal(MetadataCatalog.WhatsAppAccount, table.GetProperty("LogicalName").GetString());
        Assert.False(table.GetProperty("IsPrivate").GetBoolean());
        var all = await server.Admin.GetJsonAsync("EntityDefinitions?$select=LogicalName&$filter=IsPrivate eq false");
        Assert.Equal(MetadataCatalog.Default.Entities.Count, all.GetProperty("value").GetArrayLength());
        var none = await server.Admin.GetJsonAsync("EntityDefinitions?$select=LogicalName&$filter=IsPrivate eq true");
        Assert.Equal(0, none.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task Keys_lists_a_tables_alternate_keys_and_is_empty_for_a_table_without_one()
    {
        var none = await server.Admin.GetJsonAsync(Table + "/Keys");
        Assert.Equal(0, none.GetProperty("value").GetArrayLength());
        Assert.EndsWith("$metadata#EntityDefinitions('msdyn_ocwhatsappchannelaccount')/Keys", none.GetProperty("@odata.context").GetString());

        var messages = await server.Admin.GetJsonAsync("EntityDefinitions(LogicalName='ca_whatsappmessage')/Keys?$select=LogicalName,KeyAttributes");
        var key = Assert.Single(messages.GetProperty("value").EnumerateArray());
        Assert.Equal(["ca_messagesid", "ca_whatsappaccountid"], key.GetProperty("KeyAttributes").EnumerateArray().Select(a => a.GetString()).Order());
        Assert.False(key.TryGetProperty("EntityKeyIndexStatus", out _));

        using var badOption = await server.Admin.SendAsync(HttpMethod.Get, Table + "/Keys?$filter=LogicalName eq 'x'");
        await badOption.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_unknown_table_is_404_object_does_not_exist()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "EntityDefinitions(LogicalName='account')/Attributes");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
        Assert.Contains("account", message);
    }

    [Theory]
    [InlineData("EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')/Keys(LogicalName='x')")]
    [InlineData("EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')/Attributes/Microsoft.Dynamics.CRM.NopeAttributeMetadata")]
    public async Task An_unsupported_metadata_path_is_404(string path)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, path);

        await response.ErrorAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("EntityDefinitions(LogicalName=msdyn_ocwhatsappchannelaccount)")]
    [InlineData("EntityDefinitions(abc)")]
    [InlineData("EntityDefinitions(LogicalName='')")]
    [InlineData("EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')/Attributes(nope)")]
    public async Task A_malformed_metadata_key_is_400_as_a_malformed_record_key_is(string path)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, path);

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("LogicalName='name' or a MetadataId GUID", message);
    }

    [Fact]
    public async Task Expanding_attributes_nests_the_columns_in_the_table_definition_with_their_own_select_and_filter()
    {
        var all = await server.Admin.GetJsonAsync(Table + "?$select=LogicalName&$expand=Attributes");
        var some = await server.Admin.GetJsonAsync(Table + "?$select=LogicalName&$expand=Attributes($select=LogicalName,AttributeType;$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'String')");
        var list = await server.Admin.GetJsonAsync("EntityDefinitions?$select=LogicalName&$filter=LogicalName eq 'msdyn_ocwhatsappchannelaccount'&$expand=Attributes($select=LogicalName)");

        Assert.Equal(35, all.GetProperty("Attributes").GetArrayLength());
        Assert.EndsWith("$metadata#EntityDefinitions(LogicalName,Attributes(LogicalName,AttributeType))/$entity", some.GetProperty("@odata.context").GetString());
        var strings = some.GetProperty("Attributes").EnumerateArray().ToList();
        Assert.Contains(strings, a => a.GetProperty("LogicalName").GetString() == "msdyn_name");
        Assert.All(strings, a => Assert.Equal("String", a.GetProperty("AttributeType").GetString()));
        Assert.All(strings, a => Assert.False(a.TryGetProperty("MaxLength", out _)));
        Assert.Equal(35, list.GetProperty("value")[0].GetProperty("Attributes").GetArrayLength());
    }

    [Theory]
    [InlineData("$expand=Keys")]
    [InlineData("$expand=Attributes($select=Nope)")]
    [InlineData("$expand=Attributes($top=1)")]
    [InlineData("$expand=Attributes(select=LogicalName)")]
    public async Task An_expand_of_the_table_definition_other_than_its_attributes_is_400(string query)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Table + "?" + query);

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Attributes_list_every_column_of_the_table_definition()
    {
        var body = await server.Admin.GetJsonAsync(Table + "/Attributes");

        Assert.EndsWith("$metadata#EntityDefinitions('msdyn_ocwhatsappchannelaccount')/Attributes", body.GetProperty("@odata.context").GetString());
        var attributes = ByName(body);
        Assert.Equal(35, attributes.Count);
        Assert.Equal(MetadataCatalog.Default[MetadataCatalog.WhatsAppAccount].Attributes.Select(a => a.LogicalName).Order(), attributes.Keys.Order());

        var name = attributes["msdyn_name"];
        Assert.Equal("#Microsoft.Dynamics.CRM.StringAttributeMetadata", name.GetProperty("@odata.type").GetString());
        Assert.Equal("String", name.GetProperty("AttributeType").GetString());
        Assert.Equal("StringType", name.GetProperty("AttributeTypeName").GetProperty("Value").GetString());
        Assert.Equal(100, name.GetProperty("MaxLength").GetInt32());
        Assert.Equal("ApplicationRequired", name.GetProperty("RequiredLevel").GetProperty("Value").GetString());
        Assert.Equal("canmodifyrequirementlevelsettings", name.GetProperty("RequiredLevel").GetProperty("ManagedPropertyLogicalName").GetString());
        Assert.True(name.GetProperty("IsValidForCreate").GetBoolean());
        Assert.True(name.GetProperty("IsPrimaryName").GetBoolean());

        var version = attributes["versionnumber"];
        Assert.Equal("BigInt", version.GetProperty("AttributeType").GetString());
        Assert.Equal("#Microsoft.Dynamics.CRM.BigIntAttributeMetadata", version.GetProperty("@odata.type").GetString());
        Assert.Equal(long.MaxValue, version.GetProperty("MaxValue").GetInt64());
        Assert.False(version.GetProperty("IsValidForUpdate").GetBoolean());

        var owner = attributes["ownerid"];
        Assert.Equal("#Microsoft.Dynamics.CRM.LookupAttributeMetadata", owner.GetProperty("@odata.type").GetString());
        Assert.Equal("Owner", owner.GetProperty("AttributeType").GetString());
        Assert.Equal(["systemuser", "team"], owner.GetProperty("Targets").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("SystemRequired", owner.GetProperty("RequiredLevel").GetProperty("Value").GetString());
        Assert.False(owner.GetProperty("RequiredLevel").GetProperty("CanBeChanged").GetBoolean());

        var createdOn = attributes["overriddencreatedon"];
        Assert.Equal("UserLocal", createdOn.GetProperty("DateTimeBehavior").GetProperty("Value").GetString());
        Assert.Equal("DateOnly", createdOn.GetProperty("Format").GetString());
        Assert.Equal(-1, attributes["timezoneruleversionnumber"].GetProperty("MinValue").GetInt32());
        Assert.Equal("ownerid", attributes["owneridtype"].GetProperty("AttributeOf").GetString());
    }

    [Fact]
    public async Task Select_and_filter_on_attributes_pick_the_string_columns()
    {
        var body = await server.Admin.GetJsonAsync(Table
            + "/Attributes?$select=LogicalName,AttributeType&$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'String'");

        Assert.EndsWith("/Attributes(LogicalName,AttributeType)", body.GetProperty("@odata.context").GetString());
        var expected = MetadataCatalog.Default[MetadataCatalog.WhatsAppAccount].Attributes
            .Where(a => a.AttributeType == AttributeTypeCode.String).Select(a => a.LogicalName);
        Assert.Equal(expected, ByName(body).Keys);
        Assert.All(body.GetProperty("value").EnumerateArray(), a => Assert.Equal(
            ["@odata.type", "MetadataId", "LogicalName", "AttributeType"], a.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public async Task A_filter_on_the_logical_name_finds_one_column()
    {
        var body = await server.Admin.GetJsonAsync(Table + "/Attributes?$filter=LogicalName eq 'versionnumber' or LogicalName eq 'nope'");

        Assert.Equal("versionnumber", Assert.Single(ByName(body).Keys));
    }

    [Theory]
    [InlineData("IsPrivate eq false and (LogicalName eq 'msdyn_ocwhatsappchannelaccount' or LogicalName eq 'nope')")] // the Python client's shape
    [InlineData("(LogicalName eq 'msdyn_ocwhatsappchannelaccount')")]
    [InlineData("not (LogicalName ne 'msdyn_ocwhatsappchannelaccount')")]
    [InlineData("((IsPrivate eq false)) and not(LogicalName eq 'systemuser' or LogicalName ne 'msdyn_ocwhatsappchannelaccount')")]
    public async Task A_table_filter_groups_comparisons_with_parentheses_and_negates_them_with_not(string filter)
    {
        var body = await server.Admin.GetJsonAsync("EntityDefinitions?$select=LogicalName&$filter=" + Uri.EscapeDataString(filter));

        var table = Assert.Single(body.GetProperty("value").EnumerateArray());
        Assert.Equal(MetadataCatalog.WhatsAppAccount, table.GetProperty("LogicalName").GetString());
    }

    [Theory]
    [InlineData("$filter=AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Text'")]
    [InlineData("$filter=contains(LogicalName,'msdyn')")]
    [InlineData("$filter=Nope eq 1")]
    [InlineData("$filter=(LogicalName eq 'msdyn_name'")]
    [InlineData("$filter=LogicalName eq 'msdyn_name')")]
    [InlineData("$filter=not")]
    [InlineData("$filter=LogicalName eq 'msdyn_name' and")]
    [InlineData("$filter=" + "(((((((((((((((((((((((((((((((((((((((((LogicalName eq 'msdyn_name')))))))))))))))))))))))))))))))))))))))))")]
    [InlineData("$select=MaxLength")]
    [InlineData("$top=1")]
    [InlineData("$expand=OptionSet")]
    public async Task An_unsupported_attribute_query_is_400(string query)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Table + "/Attributes?" + query);

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task One_attribute_is_addressed_by_its_logical_name()
    {
        var body = await server.Admin.GetJsonAsync(Table + "/Attributes(LogicalName='msdyn_name')");

        Assert.EndsWith("/Attributes/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal("msdyn_name", body.GetProperty("LogicalName").GetString());
        Assert.Equal(100, body.GetProperty("MaxLength").GetInt32());
    }

    [Fact]
    public async Task An_unknown_attribute_is_404()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Table + "/Attributes(LogicalName='nope')");

        var (code, _) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
    }

    [Fact]
    public async Task The_statecode_option_set_names_each_state_with_its_default_status()
    {
        var body = await server.Admin.GetJsonAsync(Table
            + "/Attributes(LogicalName='statecode')/Microsoft.Dynamics.CRM.StateAttributeMetadata?$select=LogicalName&$expand=OptionSet");

        Assert.EndsWith("/Attributes/Microsoft.Dynamics.CRM.StateAttributeMetadata(LogicalName,OptionSet())/$entity", body.GetProperty("@odata.context").GetString());
        var optionSet = body.GetProperty("OptionSet");
        Assert.Equal("State", optionSet.GetProperty("OptionSetType").GetString());
        var options = optionSet.GetProperty("Options").EnumerateArray().ToList();
        Assert.Equal([0, 1], options.Select(o => o.GetProperty("Value").GetInt32()));
        Assert.Equal(["Active", "Inactive"], options.Select(o => Label(o.GetProperty("Label"))));
        Assert.Equal([1, 2], options.Select(o => o.GetProperty("DefaultStatus").GetInt32()));
        Assert.Equal(["Active", "Inactive"], options.Select(o => o.GetProperty("InvariantName").GetString()));
    }

    [Fact]
    public async Task The_statuscode_option_set_names_each_status_with_its_state()
    {
        var body = await server.Admin.GetJsonAsync(Table
            + "/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$expand=OptionSet");

        Assert.Equal("Status", body.GetProperty("AttributeType").GetString());
        var options = body.GetProperty("OptionSet").GetProperty("Options").EnumerateArray().ToList();
        Assert.Equal([1, 2], options.Select(o => o.GetProperty("Value").GetInt32()));
        Assert.Equal(["Active", "Inactive"], options.Select(o => Label(o.GetProperty("Label"))));
        Assert.Equal([0, 1], options.Select(o => o.GetProperty("State").GetInt32()));
    }

    [Fact]
    public async Task A_cast_to_the_wrong_attribute_type_is_404()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, Table
            + "/Attributes(LogicalName='statuscode')/Microsoft.Dynamics.CRM.StateAttributeMetadata?$expand=OptionSet");

        await response.ErrorAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Metadata_is_read_only()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Table + "/Attributes", "{}");

        await response.ErrorAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Theory]
    [InlineData("$metadata")]
    [InlineData("EntityDefinitions?$select=LogicalName")]
    [InlineData("EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')")]
    [InlineData("EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')/Attributes")]
    [InlineData("EntityDefinitions(LogicalName='msdyn_ocwhatsappchannelaccount')/Attributes(LogicalName='statecode')/Microsoft.Dynamics.CRM.StateAttributeMetadata?$expand=OptionSet")]
    [InlineData("EntityDefinitions(LogicalName='account')")]
    public async Task Metadata_without_a_token_is_401(string path)
    {
        using var client = server.Anonymous();

        using var response = await client.SendAsync(HttpMethod.Get, path);

        await response.ErrorAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class EntityDefinitionsTestsOnSqlite(SqliteServerFixture server) : EntityDefinitionsTests(server), IClassFixture<SqliteServerFixture>;

public sealed class EntityDefinitionsTestsOnPostgres(PostgresServerFixture server) : EntityDefinitionsTests(server), IClassFixture<PostgresServerFixture>;
