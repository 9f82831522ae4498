using Microsoft.AspNetCore.Cors.Infrastructure;

namespace ChannelAccounts.Server.Hosting;

/// <summary>
/// Cross-origin calls, as Dataverse allows them for single-page apps: any origin may call with a bearer token in the
/// Authorization header (no cookies, so no credentials mode), and reads the headers a Web API client needs.
/// </summary>
public static class WebApiCors
{
    /// <summary>Response headers a browser script may read; the rest (Content-Type, …) are readable anyway.</summary>
    public static readonly string[] ExposedHeaders =
        ["OData-EntityId", "OData-Version", "ETag", "Location", "Preference-Applied", "Retry-After", "WWW-Authenticate"];

    public static void Policy(CorsPolicyBuilder policy) => policy
        .AllowAnyOrigin()
        .AllowAnyMethod()
        .AllowAnyHeader()
        .WithExposedHeaders(ExposedHeaders)
        .SetPreflightMaxAge(TimeSpan.FromHours(1));
}
