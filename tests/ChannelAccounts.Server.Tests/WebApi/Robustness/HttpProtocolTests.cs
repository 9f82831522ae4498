using System.Net;
using System.Text;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Robustness;

/// <summary>
/// HTTP itself, around the Web API: content codings, charsets, Preference-Applied, Allow, cross-origin calls, header
/// bytes outside ASCII and a body that stops short. Each gets the server's own answer in Dataverse's error shape.
/// </summary>
public abstract class HttpProtocolTests(IServerFixture server)
{
    private readonly string _tag = "http-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<int> CountAsync()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}/$count?$filter=startswith(msdyn_name,'{_tag}')");
        return int.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string AdminToken => server.Admin.DefaultRequestHeaders.Authorization!.Parameter!;

    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("bogus")]
    public async Task A_body_in_a_content_coding_is_415_naming_it_and_creates_nothing(string coding)
    {
        using var request = Request(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{_tag}}"}""");
        request.Content!.Headers.ContentEncoding.Add(coding);

        using var response = await server.Admin.SendAsync(request);

        Assert.Contains($"'{coding}'", (await response.ErrorAsync(HttpStatusCode.UnsupportedMediaType)).Message);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_batch_in_a_content_coding_is_415_and_runs_nothing()
    {
        var body = $"--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST {Accounts} HTTP/1.1\r\n" +
            $"Content-Type: application/json\r\n\r\n{{\"msdyn_name\":\"{_tag}\"}}\r\n--b--\r\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, "$batch") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/mixed; boundary=b");
        request.Content.Headers.ContentEncoding.Add("gzip");

        using var response = await server.Admin.SendAsync(request);

        await response.ErrorAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task An_identity_content_coding_is_the_body_as_sent()
    {
        using var request = Request(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{_tag}}"}""");
        request.Content!.Headers.ContentEncoding.Add("identity");

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, await CountAsync());
    }

    [Fact]
    public async Task A_quoted_utf8_charset_is_accepted_as_HTTP_allows()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"msdyn_name":"{{_tag}}"}""")) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=\"utf-8\"");

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, await CountAsync());
    }

    [Theory]
    [InlineData("iso-8859-1", "application/json; charset=iso-8859-1")]
    [InlineData("utf-16", "application/json; charset=utf-16")]
    [InlineData("utf-16BE", "application/json")] // no charset: the byte order mark says it
    [InlineData("utf-32", "application/json")]
    public async Task A_body_in_the_charset_its_content_type_or_byte_order_mark_names_is_read_as_that_text(string encoding, string contentType)
    {
        var text = Encoding.GetEncoding(encoding);
        var json = $$"""{"msdyn_name":"{{_tag}} Café"}""";
        var bytes = contentType.Contains("charset", StringComparison.Ordinal) ? text.GetBytes(json) : [.. text.GetPreamble(), .. text.GetBytes(json)];
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var stored = await server.Admin.GetJsonAsync($"{Accounts}?$select=msdyn_name&$filter=startswith(msdyn_name,'{_tag}')");
        Assert.Equal($"{_tag} Café", Assert.Single(stored.GetProperty("value").EnumerateArray()).GetProperty("msdyn_name").GetString());
    }

    [Fact]
    public async Task A_charset_the_server_cannot_read_is_415_naming_it()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Accounts) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes($$"""{"msdyn_name":"{{_tag}}"}""")) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=klingon");

        using var response = await server.Admin.SendAsync(request);

        var (_, message) = await response.ErrorAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'klingon'", message);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task Preference_Applied_names_every_applied_preference_on_one_line()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{_tag}}"}""",
            ("Prefer", "return=representation,odata.include-annotations=\"*\""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var applied = Assert.Single(response.Headers.GetValues("Preference-Applied"));
        Assert.Equal("return=representation,odata.include-annotations=\"*\"", applied);
    }

    [Theory]
    [InlineData("PUT", Accounts + "(00000000-0000-0000-0000-000000000001)", "GET, PATCH, DELETE")]
    [InlineData("DELETE", Accounts, "GET, POST")]
    [InlineData("POST", "$metadata", "GET")]
    [InlineData("GET", "$batch", "POST")]
    public async Task A_405_names_the_allowed_methods_in_Allow(string method, string url, string allow)
    {
        using var response = await server.Admin.SendAsync(new HttpMethod(method), url, method is "PUT" or "POST" ? "{}" : null);

        await response.ErrorAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task Deep_insert_of_related_records_is_400_saying_how_to_create_them()
    {
        var user = server.Organization.AdminUserId;
        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"systemusers({user})",
            $$"""{"user_msdyn_ocwhatsappchannelaccount":[{"msdyn_name":"{{_tag}}"}]}""");

        var message = (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message;
        Assert.Contains("deep insert", message);
        Assert.Contains("POST msdyn_ocwhatsappchannelaccounts with {\"ownerid@odata.bind\":\"/systemusers(<id>)\"}", message);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_browser_preflight_is_answered_without_a_token_and_a_cross_origin_call_may_read_the_Web_API_headers()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Accounts);
        preflight.Headers.Add("Origin", "https://app.example.test");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,prefer");

        using var answer = await server.Anonymous().SendAsync(preflight);

        Assert.True(answer.IsSuccessStatusCode, $"{(int)answer.StatusCode}");
        Assert.Equal("*", answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("authorization", answer.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);

        using var create = Request(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"{{_tag}}"}""");
        create.Headers.Add("Origin", "https://app.example.test");
        using var created = await server.Admin.SendAsync(create);
        Assert.Equal(HttpStatusCode.NoContent, created.StatusCode);
        Assert.Contains("OData-EntityId", created.Headers.GetValues("Access-Control-Expose-Headers").Single());

        using var anonymous = new HttpRequestMessage(HttpMethod.Get, Accounts);
        anonymous.Headers.Add("Origin", "https://app.example.test");
        using var refused = await server.Anonymous().SendAsync(anonymous);
        await refused.ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_Authorization_header_with_bytes_outside_ASCII_is_401_in_Dataverses_shape()
    {
        var request = Encoding.Latin1.GetBytes(
            $"GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: {server.Root.Authority}\r\nAuthorization: Bearer \u00e9t\u00e9\r\nConnection: close\r\n\r\n");

        var (status, _, body) = await RawHttp.SendAsync(server.Root, request);

        Assert.Equal(401, status);
        Assert.Contains("\"code\":\"0x8004a101\"", body);
    }

    [Fact]
    public async Task A_body_that_stops_short_of_its_Content_Length_is_408_saying_what_to_send()
    {
        var json = $$"""{"msdyn_name":"{{_tag}}"}""";
        var request = $"POST /api/data/v9.2/{Accounts} HTTP/1.1\r\nHost: {server.Root.Authority}\r\nAuthorization: Bearer {AdminToken}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {json.Length + 100}\r\nConnection: close\r\n\r\n{json}";

        // Kestrel gives a slow body a grace period of five seconds before it gives up on it.
        var (status, _, body) = await RawHttp.SendAsync(server.Root, request);

        Assert.Equal(408, status);
        Assert.Contains("Content-Length", body);
        Assert.DoesNotContain("MinRequestBodyDataRate", body);
        Assert.Equal(0, await CountAsync());
    }

    [Theory]
    [InlineData("80000000")]
    [InlineData("ffffffffffff")]
    public async Task A_chunk_size_past_two_gigabytes_is_400_malformed_and_creates_nothing(string chunkSize)
    {
        var json = $$"""{"msdyn_name":"{{_tag}}"}""";
        var request = $"POST /api/data/v9.2/{Accounts} HTTP/1.1\r\nHost: {server.Root.Authority}\r\nAuthorization: Bearer {AdminToken}\r\n" +
            $"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{chunkSize}\r\n{json}\r\n0\r\n\r\n";

        var (status, _, body) = await RawHttp.SendAsync(server.Root, request);

        Assert.Equal(400, status);
        Assert.Contains("The request is malformed", body);
        Assert.Equal(0, await CountAsync());
    }
}

public sealed class HttpProtocolTestsOnSqlite(SqliteServerFixture server) : HttpProtocolTests(server), IClassFixture<SqliteServerFixture>;

public sealed class HttpProtocolTestsOnPostgres(PostgresServerFixture server) : HttpProtocolTests(server), IClassFixture<PostgresServerFixture>;
