using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>The few HTTP calls the tests make over and over, in the Web API's words.</summary>
public static class WebApiCalls
{
    public const string Accounts = "msdyn_ocwhatsappchannelaccounts";

    public static HttpRequestMessage Request(HttpMethod method, string url, string? json = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, string? json = null,
        params (string Name, string Value)[] headers) =>
        client.SendAsync(Request(method, url, json, headers));

    /// <summary>Creates an account and returns its id from OData-EntityId.</summary>
    /// <summary>POSTs the body to the entity set, asserts 204 and returns the new record's id from OData-EntityId.</summary>
    public static async Task<Guid> CreateInAsync(this HttpClient client, string set, string json)
    {
        using var response = await client.SendAsync(HttpMethod.Post, set, json);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"POST {set}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return IdFromEntityUri(response.Headers.GetValues("OData-EntityId").Single());
    }

    public static async Task<Guid> CreateAccountAsync(this HttpClient client, string name, string? extraJson = null)
    {
        var body = $"{{\"msdyn_name\":{JsonSerializer.Serialize(name)},\"msdyn_provideraccountid\":\"AC0123456789abcdef0123456789abcdef\"{(extraJson is null ? "" : "," + extraJson)}}}";
        using var response = await client.SendAsync(HttpMethod.Post, Accounts, body);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return IdFromEntityUri(response.Headers.GetValues("OData-EntityId").Single());
    }

    public static Guid IdFromEntityUri(string uri)
    {
        var open = uri.LastIndexOf('(');
        return Guid.Parse(uri[(open + 1)..^1]);
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string url, params (string Name, string Value)[] headers)
    {
        using var response = await client.SendAsync(HttpMethod.Get, url, null, headers);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>Asserts a Dataverse-shaped error and returns its code and message.</summary>
    public static async Task<(string Code, string Message)> ErrorAsync(this HttpResponseMessage response, HttpStatusCode expectedStatus)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expectedStatus, $"Expected {(int)expectedStatus}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error");
        return (error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);
    }

    /// <summary>The Accept header of a client asking for odata.metadata=minimal, full or none.</summary>
    public static (string Name, string Value) AcceptMetadata(string level) => ("Accept", $"application/json;odata.metadata={level}");

    /// <summary>The names of a JSON object's members, in order.</summary>
    public static List<string> MemberNames(this JsonElement json) => json.EnumerateObject().Select(p => p.Name).ToList();

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues) : null;

    public static MediaTypeHeaderValue? ContentType(this HttpResponseMessage response) => response.Content.Headers.ContentType;
}
