using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Routing;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// Turns one request of a batch into an HttpContext the Web API dispatcher runs like any other: method, path and
/// query from the request line (absolute URL, "/api/data/v9.2/…" or relative to the service root), its headers
/// and body, and a response body kept in memory.
/// </summary>
public static class InnerRequestBuilder
{
    private const string ApiRoot = "/api/data/v";

    public static DefaultHttpContext Build(HttpContext outer, string outerVersion, BatchOperation operation, string url, byte[] body)
    {
        var (version, path, query) = Split(url, outerVersion, outer.Request);
        var inner = new DefaultHttpContext
        {
            RequestAborted = outer.RequestAborted,
            RequestServices = outer.RequestServices,
        };
        var request = inner.Request;
        request.Method = operation.Method;
        request.Scheme = outer.Request.Scheme;
        request.Host = outer.Request.Host;
        request.PathBase = outer.Request.PathBase;
        request.Path = new PathString($"{ApiRoot}{version}/{path}");
        request.QueryString = new QueryString(query);
        request.RouteValues = new RouteValueDictionary { ["version"] = version, ["path"] = Uri.UnescapeDataString(path), [EncodedPath.RouteKey] = path };
        foreach (var (name, value) in operation.Headers)
        {
            // A part runs on this service whatever Host it names (batch builders copy it from their HttpRequestMessage);
            // appended beside the outer Host it made the two one unparsable value.
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Append(name, value);
            }
        }

        if (operation.Header(Impersonation.CallerIdHeader) is null && operation.Header(Impersonation.CallerObjectIdHeader) is null)
        {
            // An inner request without impersonation headers acts as the outer request does.
            foreach (var name in new[] { Impersonation.CallerIdHeader, Impersonation.CallerObjectIdHeader })
            {
                if (outer.Request.Headers.TryGetValue(name, out var value))
                {
                    request.Headers[name] = value;
                }
            }
        }

        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        inner.Response.Body = new MemoryStream();
        return inner;
    }

    /// <summary>The API version, the path after the service root, and the query ("?…" or "") of a request URL.</summary>
    private static (string Version, string Path, string Query) Split(string url, string outerVersion, HttpRequest outer)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            // An absolute URL names this service or none: a part is never sent on to another host.
            var origin = $"{outer.Scheme}://{outer.Host}";
            if (!string.Equals(absolute.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase))
            {
                throw WebApiException.BadRequest($"The URI '{url}' of a batch request is not based on this service's root '{origin}{outer.PathBase}/api/data/v{outerVersion}/'; " +
                    "use a URL relative to the service root, or one under it.");
            }
        }

        var question = url.IndexOf('?');
        var path = question < 0 ? url : url[..question];
        var query = question < 0 ? "" : url[question..];
        var root = path.IndexOf(ApiRoot, StringComparison.OrdinalIgnoreCase);
        if (root >= 0)
        {
            var afterVersion = path.IndexOf('/', root + ApiRoot.Length);
            var version = afterVersion < 0 ? path[(root + ApiRoot.Length)..] : path[(root + ApiRoot.Length)..afterVersion];
            // Kept as written after the service root: "v9.2//set" is the dispatcher's 400, as outside a batch.
            var rest = afterVersion < 0 ? "" : path[(afterVersion + 1)..];
            return ServerApp.SupportedVersions.Contains(version) ? (version, rest, query) : throw WebApiException.NoResource(url);
        }

        if (path.Contains("://", StringComparison.Ordinal))
        {
            throw WebApiException.NoResource(url);
        }

        return (outerVersion, path.TrimStart('/'), query); // relative to the service root the $batch was sent to
    }
}
