using System.Net;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

public abstract class UpdateEndpointTests(IServerFixture server)
{
    [Fact]
    public async Task Patch_updates_the_record_and_raises_its_version()
    {
        var id = await server.Admin.CreateAccountAsync("Before");
        var before = await StoredAsync(id);

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"After"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var after = await StoredAsync(id);
        Assert.Equal("After", after["msdyn_name"]);
        Assert.True((long)after["versionnumber"]! > (long)before["versionnumber"]!);
        Assert.Equal(before["createdon"], after["createdon"]);
        Assert.Equal(before["msdyn_provideraccountid"], after["msdyn_provideraccountid"]);
    }

    [Fact]
    public async Task Patch_records_the_modifying_user()
    {
        var id = await server.Admin.CreateAccountAsync("Modified by");
        var editor = await Principals.AddAdministratorAsync(server.Store, "Eddie", "Editor", server.Organization.RootBusinessUnitId);
        using var client = server.ClientFor(editor);

        using var response = await client.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Edited"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(id);
        Assert.Equal(editor, stored["modifiedby"]);
        Assert.Equal(server.Organization.AdminUserId, stored["createdby"]);
    }

    [Fact]
    public async Task Patch_to_a_missing_id_creates_the_record_with_that_id()
    {
        var id = Guid.NewGuid();

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Upserted"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("Upserted", (await StoredAsync(id))["msdyn_name"]);
    }

    [Fact]
    public async Task If_Match_star_forbids_create()
    {
        var id = Guid.NewGuid();

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"No"}""", ("If-Match", "*"));

        var (code, _) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
        Assert.Null(await TryStoredAsync(id));
    }

    [Fact]
    public async Task If_None_Match_star_forbids_update()
    {
        var id = await server.Admin.CreateAccountAsync("Keep me");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"No"}""", ("If-None-Match", "*"));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("0x80040237", code);
        Assert.Equal("A record with matching key values already exists.", message);
        Assert.Equal("Keep me", (await StoredAsync(id))["msdyn_name"]);
    }

    [Fact]
    public async Task If_None_Match_star_creates_when_absent()
    {
        var id = Guid.NewGuid();

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Fresh"}""", ("If-None-Match", "*"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("Fresh", (await StoredAsync(id))["msdyn_name"]);
    }

    [Fact]
    public async Task If_Match_with_a_stale_etag_is_412_and_changes_nothing()
    {
        var id = await server.Admin.CreateAccountAsync("Versioned");
        var etag = (await server.Admin.GetJsonAsync($"{Accounts}({id})")).GetProperty("@odata.etag").GetString()!;
        await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Someone else"}""");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Mine"}""", ("If-Match", etag));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("0x80060882", code);
        Assert.Equal("The version of the existing record doesn't match the RowVersion property provided.", message);
        Assert.Equal("Someone else", (await StoredAsync(id))["msdyn_name"]);
    }

    [Fact]
    public async Task If_Match_with_the_current_etag_updates()
    {
        var id = await server.Admin.CreateAccountAsync("Current");
        var etag = (await server.Admin.GetJsonAsync($"{Accounts}({id})")).GetProperty("@odata.etag").GetString()!;

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Mine"}""", ("If-Match", etag));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("Mine", (await StoredAsync(id))["msdyn_name"]);
    }

    [Fact]
    public async Task Patch_with_return_representation_answers_200_with_the_record()
    {
        var id = await server.Admin.CreateAccountAsync("Represent");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})?$select=msdyn_name",
            """{"msdyn_name":"Represented"}""", ("Prefer", "return=representation"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Represented", (await response.JsonAsync()).GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task Patch_with_return_representation_ignores_expand_and_its_context_names_only_the_select()
    {
        var id = await server.Admin.CreateAccountAsync("Represent expand");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})?$select=msdyn_name&$expand=owninguser($select=fullname)",
            """{"msdyn_name":"Represented again"}""", ("Prefer", "return=representation"));

        var body = await response.JsonAsync();
        Assert.False(body.TryGetProperty("owninguser", out _));
        Assert.EndsWith($"#{Accounts}(msdyn_name)/$entity", body.GetProperty("@odata.context").GetString());
    }

    [Fact]
    public async Task An_upsert_patch_with_return_representation_answers_201_when_it_created_the_record_and_200_when_it_updated_it()
    {
        var id = Guid.NewGuid();
        const string body = """{"msdyn_name":"Upsert represented","msdyn_provideraccountid":"AC0123456789abcdef0123456789abcdef"}""";

        using var created = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})?$select=msdyn_name", body, ("Prefer", "return=representation"));
        using var updated = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})?$select=msdyn_name", body, ("Prefer", "return=representation"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Upsert represented", (await updated.JsonAsync()).GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task Parallel_patches_with_return_representation_each_answer_with_their_own_write()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => server.Admin.CreateAccountAsync("Raced " + i)));

        var answers = await Task.WhenAll(ids.SelectMany(id => Enumerable.Range(0, 10).Select(async i =>
        {
            using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})?$select=msdyn_name,versionnumber",
                $$"""{"msdyn_name":"Mine {{i}}"}""", ("If-Match", "*"), ("Prefer", "return=representation"));
            var body = await response.JsonAsync();
            return (Id: id, Sent: $"Mine {i}", response.StatusCode, Name: body.GetProperty("msdyn_name").GetString(),
                Version: body.GetProperty("versionnumber").GetInt64(), ETag: response.Headers.ETag?.ToString());
        })));

        Assert.All(answers, a =>
        {
            Assert.Equal(HttpStatusCode.OK, a.StatusCode);
            Assert.Equal(a.Sent, a.Name);
            Assert.Equal($"W/\"{a.Version}\"", a.ETag);
        });
        Assert.All(answers.GroupBy(a => a.Id), record => Assert.Equal(10, record.Select(a => a.Version).Distinct().Count()));
    }

    [Theory]
    [InlineData("""{"statecode":1,"statuscode":2}""", 1, 2)]
    [InlineData("""{"statecode":1}""", 1, 2)]
    [InlineData("""{"statuscode":2}""", 1, 2)]
    public async Task SetState_by_patch_takes_the_seeds_pairs(string body, int state, int status)
    {
        var id = await server.Admin.CreateAccountAsync("Deactivate");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", body);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(id);
        Assert.Equal(state, stored["statecode"]);
        Assert.Equal(status, stored["statuscode"]);
    }

    [Fact]
    public async Task A_statuscode_that_does_not_belong_to_the_statecode_is_400_0x80048408()
    {
        var id = await server.Admin.CreateAccountAsync("Mismatch");

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"statecode":1,"statuscode":1}""");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048408", code);
        Assert.Equal($"1 is not a valid status code for state code msdyn_ocwhatsappchannelaccountState.Inactive on msdyn_ocwhatsappchannelaccount with Id {id}.", message);
        Assert.Equal(0, (await StoredAsync(id))["statecode"]);
    }

    [Fact]
    public async Task Assign_by_patch_moves_the_owning_business_unit_with_the_owner()
    {
        var id = await server.Admin.CreateAccountAsync("Assign me");
        var unit = await Principals.AddBusinessUnitAsync(server.Store, "Support " + Guid.NewGuid(), server.Organization.RootBusinessUnitId);
        var user = await Principals.AddUserAsync(server.Store, "Nina", "Newowner", unit);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $$"""{"ownerid@odata.bind":"/systemusers({{user}})"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await StoredAsync(id);
        Assert.Equal(user, stored["ownerid"]);
        Assert.Equal(user, stored["owninguser"]);
        Assert.Equal(unit, stored["owningbusinessunit"]);
    }

    [Fact]
    public async Task Assign_to_an_owner_without_the_read_privilege_is_403_and_keeps_the_owner()
    {
        var id = await server.Admin.CreateAccountAsync("Keep owner");
        var user = await Principals.AddUserAsync(server.Store, "Rita", "Roleless", server.Organization.RootBusinessUnitId);

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $$"""{"ownerid@odata.bind":"/systemusers({{user}})"}""");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("prvReadmsdyn_ocwhatsappchannelaccount", message);
        Assert.Equal(server.Organization.AdminUserId, (await StoredAsync(id))["ownerid"]);
    }

    [Fact]
    public async Task Delete_removes_the_record_and_a_second_delete_is_404()
    {
        var id = await server.Admin.CreateAccountAsync("Delete me");

        using var response = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({id})");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(await TryStoredAsync(id));

        using var again = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({id})");
        Assert.Equal("0x80040217", (await again.ErrorAsync(HttpStatusCode.NotFound)).Code);
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_is_412_and_keeps_the_record()
    {
        var id = await server.Admin.CreateAccountAsync("Guarded");
        var etag = (await server.Admin.GetJsonAsync($"{Accounts}({id})")).GetProperty("@odata.etag").GetString()!;
        await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Changed"}""");

        using var response = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({id})", null, ("If-Match", etag));

        Assert.Equal("0x80060882", (await response.ErrorAsync(HttpStatusCode.PreconditionFailed)).Code);
        Assert.NotNull(await TryStoredAsync(id));
    }

    [Fact]
    public async Task Parallel_updates_each_raise_the_version_once()
    {
        var id = await server.Admin.CreateAccountAsync("Busy");
        var before = (long)(await StoredAsync(id))["versionnumber"]!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $$"""{"msdyn_name":"Update {{i}}"}""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.True((long)(await StoredAsync(id))["versionnumber"]! >= before + 20);
    }

    private async Task<StoredRow> StoredAsync(Guid id) =>
        await TryStoredAsync(id) ?? throw new Xunit.Sdk.XunitException($"Record {id} is not stored.");

    private async Task<StoredRow?> TryStoredAsync(Guid id)
    {
        await using var transaction = await server.Store.BeginAsync(TransactionMode.Read);
        return await transaction.RetrieveAsync(server.Accounts, id, null);
    }
}

public sealed class UpdateEndpointTestsOnSqlite(SqliteServerFixture server) : UpdateEndpointTests(server), IClassFixture<SqliteServerFixture>;

public sealed class UpdateEndpointTestsOnPostgres(PostgresServerFixture server) : UpdateEndpointTests(server), IClassFixture<PostgresServerFixture>;
