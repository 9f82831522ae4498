using System.Net;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Batch;

public abstract class BatchRequestTests(IServerFixture server)
{
    [Fact]
    public async Task GETs_outside_change_sets_return_the_rows()
    {
        var prefix = Prefix();
        var first = await server.Admin.CreateAccountAsync(prefix + "a");
        await server.Admin.CreateAccountAsync(prefix + "b");
        var body = new BatchBody()
            .Request("GET", $"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{prefix}')&$orderby=msdyn_name")
            .Request("GET", $"/api/data/v9.2/{Accounts}({first})?$select=msdyn_name");

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal([200, 200], parts.Select(p => p.Status));
        Assert.Equal([prefix + "a", prefix + "b"], parts[0].Json.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()));
        Assert.Equal(prefix + "a", parts[1].Json.GetProperty("msdyn_name").GetString());
        Assert.StartsWith("application/json", parts[1].Headers["Content-Type"]);
        Assert.Null(parts[0].ChangeSet);
    }

    [Fact]
    public async Task A_request_line_whose_url_holds_spaces_is_read_as_odata_reads_it()
    {
        // Microsoft.OData's batch reader takes the URL between the first and the last space; @odata/client writes
        // "GET set?$filter=a eq 'b' HTTP/1.1" so.
        var prefix = Prefix();
        await server.Admin.CreateAccountAsync(prefix + " a");
        var body = new BatchBody()
            .Request("GET", $"{Accounts}?$select=msdyn_name&$filter=msdyn_name eq '{prefix} a'")
            .Request("GET", $"{Accounts}/$count");

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal([200, 200], parts.Select(p => p.Status));
        Assert.Equal(prefix + " a", Assert.Single(parts[0].Json.GetProperty("value").EnumerateArray()).GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task A_Host_header_in_a_part_is_ignored_as_the_part_runs_on_this_service()
    {
        var prefix = Prefix();
        var body = new BatchBody()
            .Request("GET", "WhoAmI", null, ("Host", server.Root.Authority))
            .Request("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}hosted"}""", ("Host", "elsewhere.example.com"));

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal([200, 204], parts.Select(p => p.Status));
        Assert.Equal(server.Organization.AdminUserId, parts[0].Json.GetProperty("UserId").GetGuid());
        Assert.StartsWith(server.Admin.BaseAddress!.ToString(), parts[1].Headers["OData-EntityId"], StringComparison.Ordinal);
        Assert.Equal([prefix + "hosted"], await NamesAsync(prefix));
    }

    [Fact]
    public async Task Without_continue_on_error_the_batch_stops_at_the_first_failure_and_answers_with_its_status()
    {
        var prefix = Prefix();
        var body = new BatchBody()
            .Request("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}ok"}""")
            .Request("GET", $"{Accounts}({Guid.NewGuid()})")
            .Request("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}never"}""");

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var part = Assert.Single(await BatchAnswer.PartsAsync(response));
        Assert.Equal(404, part.Status);
        Assert.Equal("0x80040217", part.ErrorCode);
        Assert.Equal([prefix + "ok"], await NamesAsync(prefix));
    }

    [Fact]
    public async Task With_continue_on_error_every_part_runs_and_the_batch_is_200()
    {
        var prefix = Prefix();
        var body = new BatchBody()
            .Request("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}ok"}""")
            .Request("GET", $"{Accounts}({Guid.NewGuid()})")
            .ChangeSet(("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}{{new string('x', 101)}}"}""", "1"))
            .Request("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}after"}""");

        using var response = await server.Admin.SendAsync(body.ToRequest(continueOnError: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("odata.continue-on-error", response.Header("Preference-Applied"));
        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal([204, 404, 400, 204], parts.Select(p => p.Status));
        Assert.Equal([prefix + "after", prefix + "ok"], await NamesAsync(prefix));
    }

    [Fact]
    public async Task A_body_with_LF_line_ends_only_and_none_after_its_closing_delimiter_is_400_0x80048d19()
    {
        var body = new BatchBody().Request("GET", "WhoAmI");

        using var response = await server.Admin.SendAsync(body.ToRequest(text: body.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n')));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048d19", code);
        Assert.Contains("Stream was not readable", message);
    }

    [Theory]
    [InlineData("\n\n")] // Dataverse's own remedy: "add two non-CRLF line endings at the end of the batch request body"
    [InlineData("\n")] // Xrm-WebApi-Client
    [InlineData("\n ")] // dataverse-ify
    public async Task A_body_with_LF_line_ends_only_and_line_ends_after_its_closing_delimiter_runs(string end)
    {
        var prefix = Prefix();
        var body = new BatchBody()
            .ChangeSet(("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}lf"}""", "1"))
            .Request("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}last"}""");

        using var response = await server.Admin.SendAsync(body.ToRequest(text: body.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + end));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([204, 204], (await BatchAnswer.PartsAsync(response)).Select(p => p.Status));
        Assert.Equal([prefix + "last", prefix + "lf"], await NamesAsync(prefix));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")] // Xrm-WebApi-Client's change-set batches: LF line ends and no "--batch_…--"
    public async Task A_batch_whose_closed_last_change_set_ends_it_without_the_batch_delimiter_runs(string lineEnd)
    {
        var prefix = Prefix();
        var body = new BatchBody()
            .ChangeSet(("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}first"}""", "1"))
            .ChangeSet(("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}second"}""", "1"));
        var withoutClosing = body.Text[..body.Text.LastIndexOf($"--{body.Boundary}--", StringComparison.Ordinal)];

        using var response = await server.Admin.SendAsync(body.ToRequest(text: withoutClosing.Replace("\r\n", lineEnd, StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([204, 204], (await BatchAnswer.PartsAsync(response)).Select(p => p.Status));
        Assert.Equal([prefix + "first", prefix + "second"], await NamesAsync(prefix));
    }

    [Fact]
    public async Task A_batch_cut_off_inside_a_request_is_400_0x80048d19_and_runs_nothing()
    {
        var prefix = Prefix();
        var body = new BatchBody().ChangeSet(
            ("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}first"}""", "1"),
            ("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}second"}""", "2"));
        var cut = body.Text[..body.Text.LastIndexOf(prefix + "second", StringComparison.Ordinal)];

        using var response = await server.Admin.SendAsync(body.ToRequest(text: cut));

        var (code, _) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048d19", code);
        Assert.Empty(await NamesAsync(prefix));
    }

    [Fact]
    public async Task A_batch_of_1001_requests_is_400_and_runs_none()
    {
        var body = new BatchBody();
        for (var i = 0; i < 1001; i++)
        {
            body.Request("GET", "WhoAmI");
        }

        using var response = await server.Admin.SendAsync(body.ToRequest());

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1000", message);
    }

    [Fact]
    public async Task A_batch_of_1000_requests_is_answered_in_full()
    {
        var body = new BatchBody();
        for (var i = 0; i < 1000; i++)
        {
            body.Request("GET", "WhoAmI");
        }

        using var response = await server.Admin.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1000, (await BatchAnswer.PartsAsync(response)).Count);
    }

    [Fact]
    public async Task A_batch_inside_a_batch_is_400()
    {
        var body = new BatchBody().Request("POST", "$batch", "{}");

        using var response = await server.Admin.SendAsync(body.ToRequest());

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_batch_without_a_token_is_401()
    {
        using var anonymous = server.Anonymous();
        var body = new BatchBody().Request("GET", "WhoAmI");

        using var response = await anonymous.SendAsync(body.ToRequest());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Inner_requests_run_as_the_caller()
    {
        var user = await Principals.AddAdministratorAsync(server.Store, "Bea", "Batch", server.Organization.RootBusinessUnitId);
        using var client = server.ClientFor(user);
        var prefix = Prefix();
        var body = new BatchBody()
            .Request("POST", Accounts, $$"""{"msdyn_name":"{{prefix}}mine"}""")
            .Request("GET", "WhoAmI");

        using var response = await client.SendAsync(body.ToRequest());

        var parts = await BatchAnswer.PartsAsync(response);
        var id = IdFromEntityUri(parts[0].Headers["OData-EntityId"]);
        var record = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=_createdby_value,_ownerid_value");
        Assert.Equal(user, record.GetProperty("_createdby_value").GetGuid());
        Assert.Equal(user, record.GetProperty("_ownerid_value").GetGuid());
        Assert.Equal(user, parts[1].Json.GetProperty("UserId").GetGuid());
    }

    [Fact]
    public async Task A_basic_users_batch_cannot_read_other_users_records()
    {
        var prefix = Prefix();
        var hidden = await server.Admin.CreateAccountAsync(prefix + "admin's");
        var basic = await Principals.AddUserAsync(server.Store, "Basil", "Basic", server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, basic, SecurityCatalog.BasicUserRoleId);
        using var client = server.ClientFor(basic);
        var body = new BatchBody()
            .Request("GET", $"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{prefix}')")
            .Request("GET", $"{Accounts}({hidden})?$select=msdyn_name");

        using var response = await client.SendAsync(body.ToRequest(continueOnError: true));

        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal(0, parts[0].Json.GetProperty("value").GetArrayLength());
        Assert.Equal(403, parts[1].Status);
        Assert.Equal("0x80048306", parts[1].ErrorCode);
    }

    [Fact]
    public async Task An_inner_MSCRMCallerID_header_impersonates_for_that_request_only()
    {
        var user = await Principals.AddAdministratorAsync(server.Store, "Ivy", "Inner", server.Organization.RootBusinessUnitId);
        var body = new BatchBody()
            .Request("GET", "WhoAmI", null, ("MSCRMCallerID", user.ToString()))
            .Request("GET", "WhoAmI");

        using var response = await server.Admin.SendAsync(body.ToRequest());

        var parts = await BatchAnswer.PartsAsync(response);
        Assert.Equal(user, parts[0].Json.GetProperty("UserId").GetGuid());
        Assert.Equal(server.Organization.AdminUserId, parts[1].Json.GetProperty("UserId").GetGuid());
    }

    private static string Prefix() => $"R{Guid.NewGuid():N}"[..12];

    private async Task<IReadOnlyList<string>> NamesAsync(string prefix) =>
        [.. (await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{prefix}')&$orderby=msdyn_name"))
            .GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()!)];
}

public sealed class BatchRequestTestsOnSqlite(SqliteServerFixture server) : BatchRequestTests(server), IClassFixture<SqliteServerFixture>;

public sealed class BatchRequestTestsOnPostgres(PostgresServerFixture server) : BatchRequestTests(server), IClassFixture<PostgresServerFixture>;
