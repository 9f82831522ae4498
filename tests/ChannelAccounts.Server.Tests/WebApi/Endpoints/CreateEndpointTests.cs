using System.Net;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

public abstract class CreateEndpointTests(IServerFixture server)
{
    [Fact]
    public async Task Create_answers_204_with_OData_EntityId_and_stores_the_record()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            """{"msdyn_name":"Contoso WhatsApp","msdyn_provideraccountid":"AC11111111111111111111111111111111","msdyn_authenticationtoken":"secret-1"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var entityId = response.Header("OData-EntityId")!;
        Assert.StartsWith(new Uri(server.Root, "api/data/v9.2/msdyn_ocwhatsappchannelaccounts(").ToString(), entityId);
        Assert.Equal("4.0", response.Header("OData-Version"));
        var stored = await StoredAsync(IdFromEntityUri(entityId));
        Assert.Equal("Contoso WhatsApp", stored["msdyn_name"]);
        Assert.Equal(0, stored["statecode"]);
        Assert.Equal(1, stored["statuscode"]);
    }

    [Fact]
    public async Task Create_sets_the_platform_columns_from_the_caller()
    {
        var before = DateTime.UtcNow.AddSeconds(-2);
        var id = await server.Admin.CreateAccountAsync("System columns");

        var stored = await StoredAsync(id);
        var admin = server.Organization.AdminUserId;
        Assert.Equal(admin, stored["createdby"]);
        Assert.Equal(admin, stored["modifiedby"]);
        Assert.Equal(admin, stored["ownerid"]);
        Assert.Equal(admin, stored["owninguser"]);
        Assert.Null(stored["owningteam"]);
        Assert.Equal(8, stored["owneridtype"]);
        Assert.Equal(server.Organization.RootBusinessUnitId, stored["owningbusinessunit"]);
        Assert.Null(stored["createdonbehalfby"]);
        Assert.InRange((DateTime)stored["createdon"]!, before, DateTime.UtcNow.AddSeconds(2));
        Assert.Equal(stored["createdon"], stored["modifiedon"]);
        Assert.True((long)stored["versionnumber"]! > 0);
    }

    [Fact]
    public async Task Create_with_return_representation_answers_201_with_the_selected_columns()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts + "?$select=msdyn_name,statecode",
            """{"msdyn_name":"Represented"}""", ("Prefer", "return=representation"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("return=representation", response.Header("Preference-Applied"));
        Assert.Null(response.Header("OData-EntityId"));
        var body = await response.JsonAsync();
        Assert.EndsWith("$metadata#msdyn_ocwhatsappchannelaccounts(msdyn_name,statecode)/$entity", body.GetProperty("@odata.context").GetString());
        Assert.Equal("Represented", body.GetProperty("msdyn_name").GetString());
        Assert.Equal(0, body.GetProperty("statecode").GetInt32());
        Assert.True(body.TryGetProperty("msdyn_ocwhatsappchannelaccountid", out _));
        Assert.StartsWith("W/\"", body.GetProperty("@odata.etag").GetString());
        Assert.False(body.TryGetProperty("msdyn_provideraccountid", out _));
    }

    [Fact]
    public async Task Create_accepts_a_client_supplied_id()
    {
        var id = Guid.NewGuid();
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"msdyn_ocwhatsappchannelaccountid":"{{id}}","msdyn_name":"Own id"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(id, IdFromEntityUri(response.Header("OData-EntityId")!));
        Assert.Equal("Own id", (await StoredAsync(id))["msdyn_name"]);
    }

    [Fact]
    public async Task Create_gives_ids_that_sort_in_creation_order_as_Dataverse_sequential_ids_do()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await server.Admin.CreateAccountAsync($"Sequential {i}"));
            await Task.Delay(2); // a new millisecond: within one, only the time prefix is shared
        }

        // Stored as text on SQLite and as uuid on PostgreSQL: both order these ids as their text does.
        Assert.Equal(ids.Select(i => i.ToString()).Order(StringComparer.Ordinal), ids.Select(i => i.ToString()));
        Assert.All(ids, id => Assert.Equal(7, id.Version));
    }

    [Fact]
    public async Task Create_with_an_id_that_exists_is_412_DuplicateRecord_and_changes_nothing()
    {
        var id = await server.Admin.CreateAccountAsync("Original");

        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"msdyn_ocwhatsappchannelaccountid":"{{id}}","msdyn_name":"Impostor"}""");

        var (code, _) = await response.ErrorAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("0x80040237", code);
        Assert.Equal("Original", (await StoredAsync(id))["msdyn_name"]);
    }

    [Fact]
    public async Task Create_binds_the_owner_to_a_team_and_takes_the_teams_business_unit()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Sales " + Guid.NewGuid(), server.Organization.RootBusinessUnitId);
        var team = await Principals.AddTeamAsync(server.Store, "Owners", unit);
        await Principals.AssignTeamRoleAsync(server.Store, team, SecurityCatalog.BasicUserRoleId); // an owner must be able to read the record

        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"msdyn_name":"Team owned","ownerid@odata.bind":"/teams({{team}})"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(IdFromEntityUri(response.Header("OData-EntityId")!));
        Assert.Equal(team, stored["ownerid"]);
        Assert.Equal(9, stored["owneridtype"]);
        Assert.Equal(team, stored["owningteam"]);
        Assert.Null(stored["owninguser"]);
        Assert.Equal(unit, stored["owningbusinessunit"]);
        Assert.Equal(server.Organization.AdminUserId, stored["createdby"]);
    }

    [Fact]
    public async Task Create_binds_the_owner_to_a_user_by_absolute_uri()
    {
        var user = await Principals.AddUserAsync(server.Store, "Olive", "Owner", server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);

        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"msdyn_name":"User owned","ownerid@odata.bind":"{{server.Root}}api/data/v9.2/systemusers({{user}})"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(IdFromEntityUri(response.Header("OData-EntityId")!));
        Assert.Equal(user, stored["owninguser"]);
    }

    [Fact]
    public async Task Create_with_an_owner_that_does_not_exist_is_404_and_writes_nothing()
    {
        var missing = Guid.NewGuid();
        var name = "No owner " + Guid.NewGuid();

        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"msdyn_name":"{{name}}","ownerid@odata.bind":"/systemusers({{missing}})"}""");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
        Assert.Equal($"Entity 'systemuser' With Id = {missing} Does Not Exist", message);
        Assert.Equal(0, await CountNamedAsync(name));
    }

    [Fact]
    public async Task Create_ignores_statecode_and_read_only_columns_as_Dataverse_does()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            """{"msdyn_name":"Ignored columns","statecode":1,"versionnumber":5,"createdon":"2001-01-01T00:00:00Z"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(IdFromEntityUri(response.Header("OData-EntityId")!));
        Assert.Equal(0, stored["statecode"]);
        Assert.NotEqual(5L, stored["versionnumber"]);
        Assert.NotEqual(2001, ((DateTime)stored["createdon"]!).Year);
        Assert.Equal(server.Organization.AdminUserId, stored["ownerid"]);
    }

    [Fact]
    public async Task Create_with_a_lookups_value_property_is_400_naming_the_navigation_property_to_bind()
    {
        var name = "Value property " + Guid.NewGuid();
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"msdyn_name":"{{name}}","_ownerid_value":"{{server.Organization.AdminUserId}}"}""");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048d19", code);
        Assert.Contains("CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.", message);
        Assert.Contains("'ownerid@odata.bind'", message);
        Assert.Equal(0, await CountNamedAsync(name));
    }

    [Fact]
    public async Task A_platform_lookups_value_property_is_400_saying_it_cannot_be_written_not_to_bind_it()
    {
        var name = "Creator value " + Guid.NewGuid();
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"msdyn_name":"{{name}}","_createdby_value":"{{server.Organization.AdminUserId}}"}""");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'createdby' is set by the platform and cannot be written: leave '_createdby_value' out.", message);
        Assert.DoesNotContain("@odata.bind", message); // createdby@odata.bind would be ignored
    }

    [Fact]
    public async Task A_record_read_with_annotations_and_sent_back_keeps_its_lookups_annotations_out_of_the_way()
    {
        var name = "Round trip " + Guid.NewGuid();

        // DynamicsWebApi keeps '@OData.Community…' keys of a record read with every annotation when it sends it back.
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $$"""{"_ownerid_value@OData.Community.Display.V1.FormattedValue":"System Administrator","_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"systemuser","msdyn_name":"{{name}}"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, await CountNamedAsync(name));
    }

    [Fact]
    public async Task Creating_a_record_for_an_owner_that_cannot_read_it_is_403_by_post_upsert_and_CreateMultiple()
    {
        var name = "Roleless owner " + Guid.NewGuid();
        var team = await Principals.AddTeamAsync(server.Store, "Roleless team " + Guid.NewGuid().ToString("N")[..6], server.Organization.RootBusinessUnitId);
        var bind = $$""" "ownerid@odata.bind":"/teams({{team}})" """;

        using var post = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{name}}",{{bind}}}""");
        using var upsert = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({Guid.NewGuid()})", $$"""{"msdyn_name":"{{name}}",{{bind}}}""");
        using var bulk = await server.Admin.SendAsync(HttpMethod.Post, $"{Accounts}/Microsoft.Dynamics.CRM.CreateMultiple",
            $$"""{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_name":"{{name}}",{{bind}}}]}""");

        foreach (var response in new[] { post, upsert, bulk })
        {
            var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
            Assert.Equal("0x80040220", code);
            Assert.Contains("prvReadmsdyn_ocwhatsappchannelaccount", message);
        }

        Assert.Equal(0, await CountNamedAsync(name));
    }

    [Fact]
    public async Task A_caller_who_may_not_create_for_another_owner_is_refused_for_that_and_learns_nothing_of_the_owners_roles()
    {
        var name = "Not mine to give " + Guid.NewGuid();
        var user = await Principals.AddUserAsync(server.Store, "Basic", "Creator", server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        var team = await Principals.AddTeamAsync(server.Store, "Roleless " + Guid.NewGuid().ToString("N")[..6], server.Organization.RootBusinessUnitId);
        using var client = server.ClientFor(user);

        using var response = await client.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{name}}","ownerid@odata.bind":"/teams({{team}})"}""");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Contains("CreateAccess", message);
        Assert.DoesNotContain(team.ToString(), message);
        Assert.Equal(0, await CountNamedAsync(name));
    }

    [Fact]
    public async Task BypassCustomPluginExecution_needs_prvBypassCustomPlugins_which_only_the_System_Administrator_holds()
    {
        var name = "Bypass " + Guid.NewGuid();
        var user = await Principals.AddUserAsync(server.Store, "Basic", "Bypasser", server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        using var client = server.ClientFor(user);
        var header = ("MSCRM.BypassCustomPluginExecution", "true");

        using var refused = await client.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{name}}"}""", header);
        using var allowed = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{name}} admin"}""", header);
        using var withoutHeader = await client.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{name}} plain"}""");

        var (code, message) = await refused.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("prvBypassCustomPlugins", message);
        Assert.Equal(0, await CountNamedAsync(name));
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, withoutHeader.StatusCode);
    }

    [Theory]
    [InlineData(""","statuscode":2""")]
    [InlineData(""","statecode":1,"statuscode":2""")]
    public async Task Create_with_a_statuscode_of_the_inactive_state_is_400_0x80048408_saying_to_set_the_state_after_create(string stateColumns)
    {
        var name = "Born inactive " + Guid.NewGuid();
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{name}}"{{stateColumns}}}""");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048408", code);
        Assert.Contains("2 is not a valid status code for state code msdyn_ocwhatsappchannelaccountState.Active", message);
        Assert.Contains("statecode is not valid for create", message);
        Assert.Contains("SetState", message);
        Assert.Equal(0, await CountNamedAsync(name));
    }

    [Fact]
    public async Task Overriddencreatedon_sets_createdon_and_importsequencenumber_is_kept()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            """{"msdyn_name":"Migrated","overriddencreatedon":"2019-05-04T00:00:00Z","importsequencenumber":42}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(IdFromEntityUri(response.Header("OData-EntityId")!));
        Assert.Equal(new DateTime(2019, 5, 4, 0, 0, 0, DateTimeKind.Utc), stored["createdon"]);
        Assert.NotNull(stored["overriddencreatedon"]);
        Assert.Equal(42, stored["importsequencenumber"]);
    }

    private async Task<StoredRow> StoredAsync(Guid id)
    {
        await using var transaction = await server.Store.BeginAsync(TransactionMode.Read);
        return await transaction.RetrieveAsync(server.Accounts, id, null) ?? throw new Xunit.Sdk.XunitException($"Record {id} is not stored.");
    }

    private async Task<int> CountNamedAsync(string name)
    {
        var body = await server.Admin.GetJsonAsync($"{Accounts}?$filter=msdyn_name eq '{name}'&$count=true");
        return body.GetProperty("@odata.count").GetInt32();
    }
}

public sealed class CreateEndpointTestsOnSqlite(SqliteServerFixture server) : CreateEndpointTests(server), IClassFixture<SqliteServerFixture>;

public sealed class CreateEndpointTestsOnPostgres(PostgresServerFixture server) : CreateEndpointTests(server), IClassFixture<PostgresServerFixture>;
