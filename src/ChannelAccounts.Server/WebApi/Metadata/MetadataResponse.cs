using System.Text.Json;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>
/// What the metadata resources (EntityDefinitions, RelationshipDefinitions, GlobalOptionSetDefinitions) share: each is
/// a read-only tree under one path segment, and each body is written to a buffer first, so a query option refused
/// while writing is still answered as a clean error.
/// </summary>
public static class MetadataResponse
{
    /// <summary>The segment itself, a key after it ("Segment(…)") or a path below it ("Segment/…").</summary>
    public static bool IsUnder(string path, string segment) =>
        path == segment || (path.StartsWith(segment, StringComparison.Ordinal) && path.Length > segment.Length && path[segment.Length] is '(' or '/');

    public static void RequireGet(HttpContext http, string segment)
    {
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            throw WebApiException.MethodNotAllowed(http.Request.Method, segment, "GET");
        }
    }

    /// <summary>
    /// A metadata body is written at minimal whatever odata.metadata asks (and its Content-Type says so); an Accept that
    /// admits no JSON is still refused, as for any JSON body.
    /// </summary>
    public static async Task WriteAsync(WebApiContext api, Action<Utf8JsonWriter> write)
    {
        var http = api.Http;
        _ = api.Metadata;
        http.Response.ContentType = MetadataLevel.Minimal.ContentType();
        http.Response.Headers["OData-Version"] = "4.0";
        using var buffer = new MemoryStream();
        await using (var writer = JsonOutput.Writer(buffer))
        {
            write(writer);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, api.Aborted);
    }
}
