using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.AspNetCore.Http.Features;

namespace ChannelAccounts.Server.WebApi.Routing;

/// <summary>
/// The resource path after the service root as the client sent it, still percent-encoded. ODataUriParser decodes what
/// it is given, and ASP.NET Core's Request.Path is decoded already: handed that, it decoded twice ('%2528' named the
/// record as '(' would) and cut the path at an encoded '#' ('%23' in a function's parameter) as at a fragment.
/// </summary>
public static class EncodedPath
{
    /// <summary>The route value a $batch part carries its encoded path in (it has no raw request line of its own).</summary>
    public const string RouteKey = "encodedpath";

    /// <summary>
    /// The encoded path after "/api/data/v{version}/", without a trailing '/'; null for a request made in process,
    /// which has no request line. A request line whose path does not start with the service root as written
    /// ("/%61pi/data/…", "/x/../api/data/…": no client writes one) is refused, as its remainder cannot be told apart.
    /// </summary>
    public static string? Of(HttpContext http, string version)
    {
        if (http.GetRouteValue(RouteKey) is string part)
        {
            return part.TrimEnd('/');
        }

        if (http.Features.Get<IHttpRequestFeature>()?.RawTarget is not { Length: > 0 } target)
        {
            return null;
        }

        var question = target.IndexOf('?');
        var path = question < 0 ? target : target[..question];
        if (!path.StartsWith('/') && path.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0)
        {
            // The absolute form (GET http://host/api/data/…): the path starts after the authority. (A path may hold
            // "://" of its own, in a function parameter naming a record by its URL.)
            var slash = path.IndexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path[slash..];
        }

        var root = $"{http.Request.PathBase}/api/data/v{version}/";
        return path.StartsWith(root, StringComparison.OrdinalIgnoreCase)
            ? path[root.Length..].TrimEnd('/')
            : throw WebApiException.BadRequest(
                $"The path '{path}' must start with '{root}' as written, without percent-encoding or '.' and '..' segments.");
    }
}
