using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.WebApi.Batch;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Routing;

/// <summary>
/// A URL's path is percent-decoded once, as OData and RFC 3986 read it: '%28' is '(' but '%2528' is the text '%28', and
/// an encoded '#' or '?' inside a segment is that character, not the start of a fragment or a query.
/// </summary>
public abstract class EncodedPathTests(IServerFixture server)
{
    [Fact]
    public async Task A_single_encoded_key_names_the_record()
    {
        var id = await server.Admin.CreateAccountAsync("encoded " + Guid.NewGuid().ToString("N")[..8]);

        var record = await server.Admin.GetJsonAsync($"{Accounts}%28{id}%29?$select=msdyn_name");

        Assert.Equal(id, record.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid());
    }

    [Fact]
    public async Task A_double_encoded_key_is_404_and_a_DELETE_or_PATCH_to_it_changes_nothing()
    {
        var name = "double " + Guid.NewGuid().ToString("N")[..8];
        var id = await server.Admin.CreateAccountAsync(name);

        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}%2528{id}%2529");
        using var patch = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}%2528{id}%2529", """{"msdyn_name":"changed"}""");
        using var whoAmI = await server.Admin.SendAsync(HttpMethod.Get, "Who%2541mI");

        Assert.Contains("'msdyn_ocwhatsappchannelaccounts%28", (await delete.ErrorAsync(HttpStatusCode.NotFound)).Message);
        await patch.ErrorAsync(HttpStatusCode.NotFound);
        await whoAmI.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal(name, (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name")).GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task A_double_encoded_key_in_a_batch_part_is_404_and_deletes_nothing()
    {
        var name = "batch double " + Guid.NewGuid().ToString("N")[..8];
        var id = await server.Admin.CreateAccountAsync(name);
        var body = new BatchBody().Request("DELETE", $"{Accounts}%2528{id}%2529");

        using var response = await server.Admin.SendAsync(body.ToRequest(continueOnError: true));

        Assert.Equal(404, Assert.Single(await BatchAnswer.PartsAsync(response)).Status);
        Assert.Equal(name, (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name")).GetProperty("msdyn_name").GetString());
    }

    [Theory]
    [InlineData("/%61pi/data/v9.2/")]
    [InlineData("/api/data/v9%2E2/")]
    [InlineData("/twilio/../api/data/v9.2/")]
    public async Task A_service_root_not_written_plainly_is_400_and_a_DELETE_under_it_deletes_nothing(string root)
    {
        var name = "root " + Guid.NewGuid().ToString("N")[..8];
        var id = await server.Admin.CreateAccountAsync(name);
        var token = server.Admin.DefaultRequestHeaders.Authorization!.Parameter;

        var (status, _, body) = await RawHttp.SendAsync(server.Root,
            $"DELETE {root}{Accounts}%2528{id}%2529 HTTP/1.1\r\nHost: {server.Root.Authority}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");

        Assert.Equal(400, status);
        Assert.Contains("must start with '/api/data/v9.2/' as written", body);
        Assert.Equal(name, (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name")).GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task An_empty_first_segment_in_a_batch_part_is_400_as_outside_a_batch()
    {
        var body = new BatchBody().Request("GET", $"/api/data/v9.2//{Accounts}?$top=1");

        using var response = await server.Admin.SendAsync(body.ToRequest(continueOnError: true));

        Assert.Equal(400, Assert.Single(await BatchAnswer.PartsAsync(response)).Status);
    }

    [Fact]
    public async Task An_empty_first_segment_is_400_quoting_the_path_as_sent()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{server.Admin.BaseAddress}/{Accounts}");

        var message = (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message;
        Assert.Contains($"'/api/data/v9.2//{Accounts}'", message);
        Assert.Contains($"/api/data/v9.2/{Accounts}.", message);
    }

    [Fact]
    public async Task An_encoded_hash_inside_an_inline_function_parameter_is_part_of_the_value()
    {
        // Microsoft.OData.Client writes an entity parameter inline, its @odata.type starting with '#'.
        var id = await server.Admin.CreateAccountAsync("hash " + Guid.NewGuid().ToString("N")[..8]);
        var target = Uri.EscapeDataString($$"""{"@odata.id":"{{Accounts}}({{id}})","@odata.type":"#Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount"}""");

        var access = await server.Admin.GetJsonAsync(
            $"systemusers({server.Organization.AdminUserId})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target={target})");

        Assert.Contains("WriteAccess", access.GetProperty("AccessRights").GetString());
    }

    [Fact]
    public async Task An_absolute_form_request_target_is_read_from_its_path()
    {
        var id = await server.Admin.CreateAccountAsync("absolute " + Guid.NewGuid().ToString("N")[..8]);
        var token = server.Admin.DefaultRequestHeaders.Authorization!.Parameter;

        var (status, _, body) = await RawHttp.SendAsync(server.Root,
            $"GET http://{server.Root.Authority}/api/data/v9.2/{Accounts}%28{id}%29/msdyn_name HTTP/1.1\r\n" +
            $"Host: {server.Root.Authority}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");

        Assert.True(status == 200, body);
        Assert.Contains("absolute ", body);
    }
}

public sealed class EncodedPathTestsOnSqlite(SqliteServerFixture server) : EncodedPathTests(server), IClassFixture<SqliteServerFixture>;

public sealed class EncodedPathTestsOnPostgres(PostgresServerFixture server) : EncodedPathTests(server), IClassFixture<PostgresServerFixture>;
