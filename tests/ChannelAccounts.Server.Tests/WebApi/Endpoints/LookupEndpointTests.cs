using System.Net;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

/// <summary>A lookup as a single-valued navigation property: its record, its $ref, and PUT/DELETE of the $ref.</summary>
public abstract class LookupEndpointTests(IServerFixture server)
{
    [Fact]
    public async Task Get_ref_of_a_lookup_answers_the_uri_of_the_record_it_points_to()
    {
        var id = await server.Admin.CreateAccountAsync("Owned");

        var json = await server.Admin.GetJsonAsync($"{Accounts}({id})/ownerid/$ref");

        Assert.EndsWith("/api/data/v9.2/$metadata#$ref", json.GetProperty("@odata.context").GetString());
        Assert.EndsWith($"/api/data/v9.2/systemusers({server.Organization.AdminUserId})", json.GetProperty("@odata.id").GetString());
    }

    [Fact]
    public async Task Get_of_a_lookup_answers_the_record_it_points_to_with_the_select_of_the_request()
    {
        var id = await server.Admin.CreateAccountAsync("Owned");

        var json = await server.Admin.GetJsonAsync($"{Accounts}({id})/owningbusinessunit?$select=name");

        Assert.EndsWith("$metadata#businessunits(name)/$entity", json.GetProperty("@odata.context").GetString());
        Assert.Equal(server.Organization.RootBusinessUnitId, json.GetProperty("businessunitid").GetGuid());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task An_empty_lookup_answers_204_for_its_record_and_its_ref()
    {
        var id = await server.Admin.CreateAccountAsync("Nobody on behalf");

        using var record = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})/createdonbehalfby");
        using var reference = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})/createdonbehalfby/$ref");

        Assert.Equal(HttpStatusCode.NoContent, record.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reference.StatusCode);
    }

    [Fact]
    public async Task Put_ref_of_ownerid_assigns_the_record_and_moves_its_business_unit()
    {
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Ref unit " + Guid.NewGuid().ToString("N")[..6], server.Organization.RootBusinessUnitId);
        var user = await Principals.AddAdministratorAsync(server.Store, "Ref", "Owner", unit);
        var id = await server.Admin.CreateAccountAsync("To another unit");

        using var response = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/ownerid/$ref", $$"""{"@odata.id":"{{server.Admin.BaseAddress}}systemusers({{user}})"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(id);
        Assert.Equal(user, stored["ownerid"]);
        Assert.Equal(user, stored["owninguser"]);
        Assert.Equal(unit, stored["owningbusinessunit"]);
    }

    [Fact]
    public async Task Put_ref_honours_If_Match_and_If_None_Match_like_a_patch()
    {
        var id = await server.Admin.CreateAccountAsync("Guarded owner");
        var user = await Principals.AddAdministratorAsync(server.Store, "Guarded", "Owner", server.Organization.RootBusinessUnitId);
        var body = $$"""{"@odata.id":"systemusers({{user}})"}""";
        var etag = (await server.Admin.GetJsonAsync($"{Accounts}({id})")).GetProperty("@odata.etag").GetString()!;

        using var stale = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/ownerid/$ref", body, ("If-Match", "W/\"1\""));
        using var noneMatch = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/ownerid/$ref", body, ("If-None-Match", "*"));
        var unchanged = await StoredAsync(id);
        using var current = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/ownerid/$ref", body, ("If-Match", etag));

        Assert.Equal("0x80060882", (await stale.ErrorAsync(HttpStatusCode.PreconditionFailed)).Code);
        await noneMatch.ErrorAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(server.Organization.AdminUserId, unchanged["ownerid"]);
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
        Assert.Equal(user, (await StoredAsync(id))["ownerid"]);
    }

    [Fact]
    public async Task Put_ref_to_a_table_the_lookup_cannot_refer_to_is_400_and_changes_nothing()
    {
        var id = await server.Admin.CreateAccountAsync("Stays");
        var before = await StoredAsync(id);

        using var response = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/ownerid/$ref",
            $$"""{"@odata.id":"businessunits({{server.Organization.RootBusinessUnitId}})"}""");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("systemusers or teams", message);
        Assert.Equal(before["versionnumber"], (await StoredAsync(id))["versionnumber"]);
    }

    [Theory]
    [InlineData("""{"@odata.id":"systemusers(nope)"}""", "does not name a record")]
    [InlineData("""{"id":"x"}""", "A $ref body is")]
    [InlineData("""[]""", "A $ref body is")]
    public async Task Put_ref_with_a_body_that_names_no_record_is_400(string body, string expected)
    {
        var id = await server.Admin.CreateAccountAsync("Stays");

        using var response = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/ownerid/$ref", body);

        Assert.Contains(expected, (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
    }

    [Fact]
    public async Task A_lookup_the_platform_sets_cannot_be_changed_through_its_ref()
    {
        var id = await server.Admin.CreateAccountAsync("Created by admin");
        var other = await Principals.AddUserAsync(server.Store, "Ref", "Other", server.Organization.RootBusinessUnitId);

        using var put = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/createdby/$ref", $$"""{"@odata.id":"systemusers({{other}})"}""");
        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({id})/createdby/$ref");

        Assert.Contains("set by the platform", (await put.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Contains("set by the platform", (await delete.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Equal(server.Organization.AdminUserId, (await StoredAsync(id))["createdby"]);
    }

    [Fact]
    public async Task Delete_ref_of_the_owner_is_refused_as_a_record_always_has_an_owner()
    {
        var id = await server.Admin.CreateAccountAsync("Owned");

        using var response = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({id})/ownerid/$ref");

        Assert.Equal("ownerid cannot be cleared: every record has an owner. Assign the record to another systemuser or team instead.",
            (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Equal(server.Organization.AdminUserId, (await StoredAsync(id))["ownerid"]);
    }

    [Fact]
    public async Task A_users_business_unit_cannot_be_cleared_by_ref_or_by_patch()
    {
        var user = await Principals.AddUserAsync(server.Store, "Unit", "Keeper", server.Organization.RootBusinessUnitId);

        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, $"systemusers({user})/businessunitid/$ref");
        using var patch = await server.Admin.SendAsync(HttpMethod.Patch, $"systemusers({user})", """{"businessunitid@odata.bind":null}""", ("If-Match", "*"));

        Assert.Contains("cannot be cleared", (await delete.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Contains("cannot be cleared", (await patch.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        var stored = await server.Admin.GetJsonAsync($"systemusers({user})/businessunitid/$ref");
        Assert.EndsWith($"businessunits({server.Organization.RootBusinessUnitId})", stored.GetProperty("@odata.id").GetString());
    }

    [Fact]
    public async Task Other_verbs_on_a_lookup_are_405_and_its_record_is_read_only()
    {
        var id = await server.Admin.CreateAccountAsync("Owned");

        using var post = await server.Admin.SendAsync(HttpMethod.Post, $"{Accounts}({id})/ownerid/$ref", """{"@odata.id":"x"}""");
        using var patch = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})/ownerid", """{"fullname":"x"}""");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, patch.StatusCode);
    }

    private async Task<StoredRow> StoredAsync(Guid id)
    {
        await using var transaction = await server.Store.BeginAsync(TransactionMode.Read);
        return await transaction.RetrieveAsync(server.Accounts, id, null) ?? throw new Xunit.Sdk.XunitException($"Record {id} is not stored.");
    }
}

public sealed class LookupEndpointTestsOnSqlite(SqliteServerFixture server) : LookupEndpointTests(server), IClassFixture<SqliteServerFixture>;

public sealed class LookupEndpointTestsOnPostgres(PostgresServerFixture server) : LookupEndpointTests(server), IClassFixture<PostgresServerFixture>;
