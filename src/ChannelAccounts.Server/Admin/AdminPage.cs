using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace ChannelAccounts.Server.Admin;

/// <summary>
/// The admin page at /admin/: static files embedded in this assembly (so `dotnet run` works from any directory),
/// served anonymously. All data goes through the Web API with the bearer token the user pastes in.
/// </summary>
public static class AdminPage
{
    public const string Path = "/admin";

    // Scripts, styles and calls only from this origin; no inline code, no framing, no plugins.
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Adds the page's middleware; call before routing, so the fallback endpoint never shadows a file. Only requests
    /// under /admin pass through it: the Web API's requests do not pay for the file lookups.
    /// </summary>
    public static void Use(IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments(Path), UseFiles);

    private static void UseFiles(IApplicationBuilder app)
    {
        var files = new EmbeddedFileProvider(typeof(AdminPage).Assembly, "ChannelAccounts.Server.Admin.Files");
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = Path, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache"; // revalidate with the ETag, so a new server version is picked up
            },
        });
    }
}
