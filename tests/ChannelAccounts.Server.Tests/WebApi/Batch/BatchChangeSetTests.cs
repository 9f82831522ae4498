using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Batch;

public abstract class BatchChangeSetTests(IServerFixture server)
{
    private const string Provider = "\"msdyn_provideraccountid\":\"AC0123456789abcdef0123456789abcdef\"";

    [Fact]
    public async Task A_change_set_of_three_creates_commits_all_three()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(
            ("POST", Accounts, Account(prefix + "1"), "1"),
            ("POST", $"/api/data/v9.2/{Accounts}", Account(prefix + "2"), "2"),
            ("POST", new Uri(server.Root, $"api/data/v9.2/{Accounts}").ToString(), Account(prefix + "3"), "3"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal(3, parts.Count);
        Assert.All(parts, p => Assert.Equal(204, p.Status));
        Assert.All(parts, p => Assert.Equal(0, p.ChangeSet));
        Assert.Equal(["1", "2", "3"], parts.Select(p => p.ContentId));
        Assert.All(parts, p => Assert.Equal(p.Headers["OData-EntityId"], p.Headers["Location"]));
        Assert.Equal(3, await CountAsync(prefix));
    }

    [Fact]
    public async Task A_change_set_whose_second_request_fails_leaves_nothing_and_reports_that_request()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(
            ("POST", Accounts, Account(prefix + "first"), "1"),
            ("POST", Accounts, Account(prefix + new string('x', 101)), "2"),
            ("POST", Accounts, Account(prefix + "third"), "3"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var part = Assert.Single(await BatchAnswer.PartsAsync(response));
        Assert.Equal(400, part.Status);
        Assert.Equal("2", part.ContentId);
        Assert.Equal("0x80044331", part.ErrorCode);
        Assert.True(part.Headers.ContainsKey("REQ_ID"));
        Assert.Equal(0, await CountAsync(prefix));
    }

    [Fact]
    public async Task A_later_request_patches_the_record_an_earlier_one_created_through_its_Content_ID()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(
            ("POST", Accounts, Account(prefix + "created"), "1"),
            ("PATCH", "$1", $$"""{"msdyn_name":"{{prefix}}patched"}""", "2"),
            ("PUT", "$1/msdyn_provideraccountid", """{"value":"ACffffffffffffffffffffffffffffffff"}""", "3"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = await BatchAnswer.PartsAsync(response);
        Assert.All(parts, p => Assert.Equal(204, p.Status));
        var id = IdFromEntityUri(parts[0].Headers["OData-EntityId"]);
        var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name,msdyn_provideraccountid");
        Assert.Equal(prefix + "patched", record.GetProperty("msdyn_name").GetString());
        Assert.Equal("ACffffffffffffffffffffffffffffffff", record.GetProperty("msdyn_provideraccountid").GetString());
    }

    [Fact]
    public async Task A_Content_ID_names_a_record_created_with_return_representation_which_answers_201_without_OData_EntityId()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSetWithHeaders(
            ("POST", Accounts, Account(prefix + "created"), "1", [("Prefer", "return=representation")]),
            ("PATCH", "$1", $$"""{"msdyn_name":"{{prefix}}patched"}""", "2", []));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal([201, 204], parts.Select(p => p.Status));
        Assert.False(parts[0].Headers.ContainsKey("OData-EntityId"));
        var id = JsonDocument.Parse(parts[0].Body).RootElement.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid();
        Assert.Equal(id, IdFromEntityUri(parts[1].Headers["OData-EntityId"]));
        var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name");
        Assert.Equal(prefix + "patched", record.GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task A_forward_Content_ID_reference_is_400_and_runs_nothing()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(
            ("PATCH", "$2", $$"""{"msdyn_name":"{{prefix}}patched"}""", "1"),
            ("POST", Accounts, Account(prefix + "created"), "2"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Content-ID Reference: '$2' does not exist in the batch context.", message);
        Assert.Equal(0, await CountAsync(prefix));
    }

    [Fact]
    public async Task Two_requests_with_one_Content_ID_in_a_change_set_are_400_and_run_nothing()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(
            ("POST", Accounts, Account(prefix + "first"), "1"),
            ("POST", Accounts, Account(prefix + "second"), "1"),
            ("PATCH", "$1", $$"""{"msdyn_name":"{{prefix}}patched"}""", "2"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Content-ID '1' is used by two requests", message);
        Assert.Equal(0, await CountAsync(prefix));
    }

    [Fact]
    public async Task A_request_to_another_host_inside_a_batch_is_400_and_not_run()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(
            ("POST", "http://elsewhere.example.com/api/data/v9.2/" + Accounts, Account(prefix + "elsewhere"), "1"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        // As any failed change set: the batch's status is the part's, and the part says why.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var part = Assert.Single(await BatchAnswer.PartsAsync(response));
        Assert.Equal(400, part.Status);
        Assert.Contains("is not based on this service's root", part.Body);
        Assert.Equal(0, await CountAsync(prefix));
    }

    [Fact]
    public async Task An_unknown_Content_ID_in_an_odata_bind_is_400()
    {
        var body = new BatchBody().ChangeSet(
            ("POST", Accounts, $$"""{"msdyn_name":"{{Prefix()}}","ownerid@odata.bind":"$7"}""", "1"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Content-ID Reference: '$7' does not exist in the batch context.", message);
    }

    [Fact]
    public async Task A_GET_inside_a_change_set_is_400()
    {
        var body = new BatchBody().ChangeSet(("GET", Accounts, null, "1"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_change_set_runs_as_the_impersonated_user_of_the_outer_request()
    {
        var user = await Principals.AddAdministratorAsync(server.Store, "Cara", "Changeset", server.Organization.RootBusinessUnitId);
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(("POST", Accounts, Account(prefix + "on behalf"), "1"));
        using var request = body.ToRequest();
        request.Headers.Add("MSCRMCallerID", user.ToString());

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = IdFromEntityUri((await BatchAnswer.PartsAsync(response))[0].Headers["OData-EntityId"]);
        var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=_createdby_value,_createdonbehalfby_value");
        Assert.Equal(user, record.GetProperty("_createdby_value").GetGuid());
        Assert.Equal(server.Organization.AdminUserId, record.GetProperty("_createdonbehalfby_value").GetGuid());
    }

    private static string Prefix() => $"B{Guid.NewGuid():N}"[..12];

    private static string Account(string name) => $$"""{"msdyn_name":"{{name}}",{{Provider}}}""";

    private async Task<int> CountAsync(string prefix) =>
        (await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{prefix}')")).GetProperty("value").GetArrayLength();
}

public sealed class BatchChangeSetTestsOnSqlite(SqliteServerFixture server) : BatchChangeSetTests(server), IClassFixture<SqliteServerFixture>;

public sealed class BatchChangeSetTestsOnPostgres(PostgresServerFixture server) : BatchChangeSetTests(server), IClassFixture<PostgresServerFixture>;
