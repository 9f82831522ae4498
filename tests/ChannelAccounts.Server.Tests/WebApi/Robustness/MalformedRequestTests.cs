using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Robustness;

/// <summary>
/// A corpus of malformed and hostile requests over every route. Each one must be a 4xx (the right one where
/// Dataverse's is known) with Dataverse's error body, and a write must change nothing: the record count and the
/// target record's ETag are the same afterwards. A 5xx is always a bug.
/// </summary>
public abstract class MalformedRequestTests(IServerFixture server)
{
    private const string Target = "{id}";   // the URL or body stands for an existing record's id
    private const string Fresh = "{new}";   // a GUID no record has
    private const string Set = Accounts;
    private const string Record = Set + "(" + Target + ")";

    private static readonly ConcurrentDictionary<IServerFixture, Lazy<Task<Guid>>> Targets = new();

    public static TheoryData<string> CaseNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Corpus.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_malformed_request_is_a_4xx_with_a_Dataverse_error_and_changes_nothing(string caseName)
    {
        var bad = Corpus[caseName];
        var id = await TargetAsync();
        var countBefore = await CountAsync();
        var etagBefore = await ETagAsync(id);

        using var request = bad.ToRequest(id);
        using var anonymous = server.Anonymous();
        using var response = await (bad.Authorization is null ? server.Admin : anonymous).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;

        Assert.True(status is >= 400 and < 500, $"{caseName}: expected a 4xx, got {status}: {text}");
        if (bad.Status != 0)
        {
            Assert.True(bad.Status == status, $"{caseName}: expected {bad.Status}, got {status}: {text}");
        }

        if (bad.Method != "HEAD")
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            AssertDataverseError(caseName, text);
        }

        Assert.Equal(countBefore, await CountAsync());
        Assert.Equal(etagBefore, await ETagAsync(id));
    }

    /// <summary>Requests HttpClient will not send as written (dot segments, no Host, broken chunking) go over a raw socket.</summary>
    [Theory]
    [InlineData("GET /api/data/v9.2/../ HTTP/1.1", "", 404)]
    [InlineData("GET /api/data/v9.2/../../etc/passwd HTTP/1.1", "", 404)]
    [InlineData("GET /api/data/v9.2/%2e%2e/%2e%2e/etc/passwd HTTP/1.1", "", 404)]
    [InlineData("GET /api/data//v9.2/msdyn_ocwhatsappchannelaccounts HTTP/1.1", "", 404)]
    [InlineData("GET /api/data/v9.2//msdyn_ocwhatsappchannelaccounts HTTP/1.1", "", 400)]
    [InlineData("GET /api/data/v/ HTTP/1.1", "", 404)]
    [InlineData("GET /api/data/v9.2/msdyn_ocwhatsappchannelaccounts HTTP/1.1", "Host: \r\n", 400)]
    [InlineData("POST /api/data/v9.2/msdyn_ocwhatsappchannelaccounts HTTP/1.1", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 400)]
    [InlineData("PATCH /api/data/v9.2/msdyn_ocwhatsappchannelaccounts({id}) HTTP/1.1", "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"msdyn_name\":\"x\"}\r\n0\r\n\r\n", 400)]
    [InlineData("GET /api/data/v9.2/WhoAmI HTTP/1.0", "", 0)]
    public async Task A_raw_malformed_request_is_a_4xx_with_a_Dataverse_error_and_changes_nothing(string requestLine, string rest, int expected)
    {
        var id = await TargetAsync();
        var countBefore = await CountAsync();
        var etagBefore = await ETagAsync(id);
        var headers = rest.StartsWith("Host:", StringComparison.Ordinal) ? "" : $"Host: {server.Root.Authority}\r\n";
        var head = $"{requestLine.Replace(Target, id.ToString(), StringComparison.Ordinal)}\r\n{headers}Authorization: Bearer {AdminToken}\r\nConnection: close\r\n";
        var text = rest.Contains("\r\n\r\n", StringComparison.Ordinal) ? head + rest : head + rest + "\r\n";

        var (status, body) = await RawAsync(text);

        if (expected == 0)
        {
            // HTTP/1.0 without Host is legal; it must simply not fail.
            Assert.True(status is 200 or (>= 400 and < 500), $"{requestLine}: {status} {body}");
            return;
        }

        Assert.True(expected == status, $"{requestLine}: expected {expected}, got {status}: {body}");
        AssertDataverseError(requestLine, body);
        Assert.Equal(countBefore, await CountAsync());
        Assert.Equal(etagBefore, await ETagAsync(id));
    }

    [Theory]
    [InlineData("Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='9999-12-31')")]
    [InlineData("Microsoft.Dynamics.CRM.OnOrBefore(PropertyName='createdon',PropertyValue='9999-12-31')")]
    [InlineData("Microsoft.Dynamics.CRM.OnOrAfter(PropertyName='createdon',PropertyValue='9999-12-31')")]
    [InlineData("Microsoft.Dynamics.CRM.NextXDays(PropertyName='createdon',PropertyValue=100000)")]
    public async Task Date_operators_at_the_ends_of_their_ranges_answer_rather_than_fail(string filter)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Set}?$select=msdyn_name&$filter={Uri.EscapeDataString(filter)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("get", "WhoAmI")]
    [InlineData("Get", "{set}({id})")]
    [InlineData("get", "{set}({id})/msdyn_name")]
    public async Task A_method_is_matched_without_regard_to_case(string method, string url)
    {
        var id = await server.Admin.CreateAccountAsync("Any case");
        var path = "/api/data/v9.2/" + url.Replace("{set}", Set, StringComparison.Ordinal).Replace("{id}", id.ToString(), StringComparison.Ordinal);

        // Raw: HttpClient would send a known method in upper case.
        var (status, body) = await RawAsync($"{method} {path} HTTP/1.1\r\nHost: {server.Root.Authority}\r\nAuthorization: Bearer {AdminToken}\r\nConnection: close\r\n\r\n");

        Assert.True(status == 200, $"{method} {url}: {status} {body}");
    }

    [Fact]
    public async Task A_url_of_20000_characters_is_read_as_Dataverse_reads_those_up_to_32768()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Set}?$select=msdyn_name&$filter=msdyn_name eq '{new string('a', 20_000)}'");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_url_over_32768_characters_is_414_with_a_Dataverse_error_that_points_to_batch()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Set}?$filter=msdyn_name eq '{new string('a', 40_000)}'");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.RequestUriTooLong);
        Assert.Equal("0x0", code);
        Assert.Contains("$batch", message);
    }

    [Fact]
    public async Task A_url_over_32768_characters_is_refused_before_the_token_is_read()
    {
        using var anonymous = server.Anonymous();
        using var response = await anonymous.SendAsync(HttpMethod.Get, $"{Set}?$filter=msdyn_name eq '{new string('a', 40_000)}'");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.RequestUriTooLong);
        Assert.Contains("$batch", message);
    }

    [Fact]
    public async Task A_request_line_beyond_what_the_server_reads_is_still_414_not_a_5xx()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Set}?$filter=msdyn_name eq '{new string('a', 200_000)}'");

        // Kestrel refuses a request line over its own limit before the application sees it, so there is no error body.
        Assert.Equal(HttpStatusCode.RequestUriTooLong, response.StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        var handler = new JsonWebTokenHandler();
        var expired = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenIssuer.Issuer,
            Audience = TokenIssuer.Audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, server.Organization.AdminUserId.ToString())]),
            IssuedAt = DateTime.UtcNow.AddHours(-3),
            NotBefore = DateTime.UtcNow.AddHours(-3),
            Expires = DateTime.UtcNow.AddHours(-2),
            SigningCredentials = new SigningCredentials(server.Tokens.SigningKey, SecurityAlgorithms.HmacSha256),
        });
        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", expired);

        using var response = await client.SendAsync(HttpMethod.Get, "WhoAmI");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Unauthorized);
        Assert.StartsWith("0x", code);
        Assert.NotEmpty(message);
    }

    [Theory]
    [InlineData("\"msdyn_name@odata.type\":\"Edm.String\"")]
    [InlineData("\"msdyn_name@odata.type\":\"#String\",\"timezoneruleversionnumber@odata.type\":\"#Edm.Int32\",\"timezoneruleversionnumber\":4")]
    public async Task A_property_typed_with_its_own_type_is_accepted(string annotations)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Set, $$"""{{{annotations}},"msdyn_name":"Typed"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task A_UTF8_byte_order_mark_before_the_JSON_is_tolerated()
    {
        var before = await CountAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Set)
        {
            Content = new ByteArrayContent([.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes("""{"msdyn_name":"BOM"}""")]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await server.Admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task A_key_named_with_its_property_is_accepted_as_in_Dataverse()
    {
        var id = await TargetAsync();

        var record = await server.Admin.GetJsonAsync($"{Set}(msdyn_ocwhatsappchannelaccountid={id})?$select=msdyn_name");

        Assert.Equal(id.ToString(), record.GetProperty("msdyn_ocwhatsappchannelaccountid").GetString());
    }

    [Fact]
    public async Task An_empty_guid_in_the_body_asks_for_a_new_id()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Set,
            """{"msdyn_name":"Empty id","msdyn_ocwhatsappchannelaccountid":"00000000-0000-0000-0000-000000000000"}""");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.NotEqual(Guid.Empty, IdFromEntityUri(response.Headers.GetValues("OData-EntityId").Single()));
    }

    [Theory]
    [InlineData("odata.maxpagesize=0")]
    [InlineData("odata.maxpagesize=-1")]
    [InlineData("odata.maxpagesize=abc")]
    [InlineData("odata.maxpagesize=99999999999")]
    [InlineData("garbage")]
    [InlineData("\"\"\"")]
    public async Task A_Prefer_value_that_cannot_be_honoured_is_ignored_as_HTTP_says(string prefer)
    {
        // RFC 7240: a preference the server does not understand or cannot honour is ignored, not refused.
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Set}?$top=1", null, ("Prefer", prefer));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Header("Preference-Applied"));
    }

    [Fact]
    public async Task An_annotation_preference_a_header_cannot_echo_is_ignored_and_the_create_answers_once()
    {
        // "é" as UTF-8 in the Prefer header: echoing it in Preference-Applied made Kestrel throw after the commit.
        var countBefore = await CountAsync();
        const string json = """{"msdyn_name":"Prefer é"}""";
        var request = $"POST /api/data/v9.2/{Set} HTTP/1.1\r\nHost: {server.Root.Authority}\r\nAuthorization: Bearer {AdminToken}\r\n" +
            $"Prefer: return=representation,odata.include-annotations=\"é\"\r\nContent-Type: application/json\r\n" +
            $"Content-Length: {Encoding.UTF8.GetByteCount(json)}\r\nConnection: close\r\n\r\n{json}";

        var (status, body) = await RawAsync(request);

        Assert.Equal(201, status);
        Assert.Equal("Prefer é", JsonDocument.Parse(body).RootElement.GetProperty("msdyn_name").GetString());
        Assert.DoesNotContain("@OData.Community", body, StringComparison.Ordinal);
        Assert.Equal(countBefore + 1, await CountAsync());
    }

    private static void AssertDataverseError(string caseName, string text)
    {
        JsonElement error;
        try
        {
            error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            Assert.Fail($"{caseName}: the body is not a Dataverse error: {text}");
            return;
        }

        var code = error.GetProperty("code").GetString();
        var message = error.GetProperty("message").GetString();
        // A hex code, or the empty one of Dataverse's routing layer for a URL no resource matches.
        Assert.True(code is not null && (code.StartsWith("0x", StringComparison.Ordinal)
            || code.Length == 0 && message?.StartsWith("No HTTP resource was found", StringComparison.Ordinal) == true), $"{caseName}: code '{code}'");
        Assert.False(string.IsNullOrWhiteSpace(message), $"{caseName}: empty message");
    }

    private string AdminToken => server.Admin.DefaultRequestHeaders.Authorization!.Parameter!;

    private Task<Guid> TargetAsync() =>
        Targets.GetOrAdd(server, s => new Lazy<Task<Guid>>(() => s.Admin.CreateAccountAsync("Robustness target"))).Value;

    private async Task<int> CountAsync()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Set}/$count");
        return int.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> ETagAsync(Guid id) =>
        (await server.Admin.GetJsonAsync($"{Set}({id})")).GetProperty("@odata.etag").GetString()!;

    private async Task<(int Status, string Body)> RawAsync(string request)
    {
        var (status, _, body) = await RawHttp.SendAsync(server.Root, request);
        return (status, body);
    }

    /// <summary>One malformed request; Status 0 accepts any 4xx where Dataverse's exact status is not known.</summary>
    public sealed record BadRequest(string Method, string Url, string? Body = null, string? ContentType = "application/json",
        (string Name, string Value)[]? Headers = null, int Status = 0, string? Authorization = null, byte[]? RawBody = null)
    {
        public HttpRequestMessage ToRequest(Guid id)
        {
            string Fill(string text) => text.Replace(Target, id.ToString(), StringComparison.Ordinal)
                .Replace(Fresh, Guid.NewGuid().ToString(), StringComparison.Ordinal);

            var request = new HttpRequestMessage(new HttpMethod(Method), Fill(Url));
            if (RawBody is not null || Body is not null)
            {
                request.Content = new ByteArrayContent(RawBody ?? Encoding.UTF8.GetBytes(Fill(Body!)));
                request.Content.Headers.ContentType = null;
                if (ContentType is not null)
                {
                    request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            foreach (var (name, value) in Headers ?? [])
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            if (Authorization is { Length: > 0 })
            {
                request.Headers.TryAddWithoutValidation("Authorization", Authorization);
            }

            return request;
        }
    }

    private static readonly Dictionary<string, BadRequest> Corpus = MalformedRequestCorpus.Build();
}

public sealed class MalformedRequestTestsOnSqlite(SqliteServerFixture server) : MalformedRequestTests(server), IClassFixture<SqliteServerFixture>;

public sealed class MalformedRequestTestsOnPostgres(PostgresServerFixture server) : MalformedRequestTests(server), IClassFixture<PostgresServerFixture>;
