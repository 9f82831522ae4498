using System.Text;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Twilio;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Twilio;
using ChannelAccounts.Server.WebApi;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.AspNetCore.Hosting.Server;

namespace ChannelAccounts.Server.Hosting;

/// <summary>Builds the ASP.NET Core application: Kestrel, bearer authentication, the Web API under /api/data/v9.x and the Twilio webhook.</summary>
public static class ServerApp
{
    public static readonly string[] SupportedVersions = ["9.0", "9.1", "9.2"];

    /// <summary>The longest URL Dataverse accepts in a GET.</summary>
    public const int MaxUrlLength = 32_768;

    /// <summary>
    /// The longest request line Kestrel reads: longer than <see cref="MaxUrlLength"/>, so that a URL between the two gets
    /// Dataverse's error body from the dispatcher (Kestrel's own 414 has none).
    /// </summary>
    public const int MaxRequestLineLength = 4 * MaxUrlLength;

    /// <summary>The secrets come from SecretProtection.CreateAsync on the same store; configure lets tests add services or log providers.</summary>
    public static WebApplication Build(ServerOptions options, IDataStore store, TokenIssuer tokens, ISecretProtector secrets,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes * 2; // our own check answers 413 first, with Dataverse's shape
            // Dataverse takes URLs of up to 32,768 characters; Kestrel's default request line stops at 8 KB.
            kestrel.Limits.MaxRequestLineSize = MaxRequestLineLength;
            // Header values that are not ASCII (a stray "é" in a token) reach the server as Latin-1 text, so the request
            // gets the server's own answer (a Dataverse-shaped 401 or 400) instead of Kestrel's bare 400.
            kestrel.RequestHeaderEncodingSelector = _ => Encoding.Latin1;
        });
        builder.Logging.ClearProviders();
        if (!options.Quiet)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.AddCors(cors => cors.AddDefaultPolicy(WebApiCors.Policy));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        var publicUrl = PublicBaseUrl.From(options, builder.Configuration);
        var engine = new OrganizationEngine(store, secrets, options: new EngineOptions { PublicBaseUrl = publicUrl.Get });
        builder.Services.AddSingleton(engine);
        builder.Services.AddSingleton(new TwilioWebhook(engine));
        builder.Services.AddSingleton(new ODataServices(store.Catalog));
        builder.Services.AddSingleton<WebApiDispatcher>();
        builder.Services.AddSingleton<CallerResolver>();
        builder.Services.AddSingleton<KnownBearerTokens>();
        builder.Services.AddSingleton<RequestAuthenticator>();
        BearerSchemes.Add(builder.Services, options, tokens);
        configure?.Invoke(builder);

        var app = builder.Build();
        publicUrl.Attach(app.Services.GetRequiredService<IServer>());
        app.UseMiddleware<UnexpectedErrorMiddleware>();
        app.UseCors(); // answers a browser's preflight (OPTIONS, no token) before the Web API asks for one
        Admin.AdminPage.Use(app);
        app.UseRouting(); // after the admin page's files: static files are skipped once an endpoint (the fallback) is chosen
        // No authentication middleware: the Web API authenticates each request itself (RequestAuthenticator), and
        // nothing else here serves data.
        var dispatcher = app.Services.GetRequiredService<WebApiDispatcher>();
        app.Map("/api/data/v{version}/{**path}", dispatcher.HandleAsync);
        TwilioWebhookEndpoint.Map(app);
        app.MapGet("/", () => Results.Text("ChannelAccounts: the Dataverse Web API for msdyn_ocwhatsappchannelaccount is at /api/data/v9.2/\n"));
        app.MapFallback((HttpContext http) => ErrorWriter.WriteAsync(http, WebApiException.NoResource(http.Request.Path + http.Request.QueryString)));
        return app;
    }
}

/// <summary>A bug is a 500 in Dataverse's error shape, logged with its stack; never turned into a 4xx.</summary>
public sealed class UnexpectedErrorMiddleware(RequestDelegate next, ILogger<UnexpectedErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ErrorWriter.WriteAsync(http, e.StatusCode, ErrorCodes.RequestTooLarge, "The request body is larger than the server accepts.");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            await ErrorWriter.WriteAsync(http, e.StatusCode, ErrorCodes.None,
                "The request body arrived too slowly or stopped short of its Content-Length (or, chunked, of its last chunk). Send the whole body without pausing.");
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel found the request itself malformed while the body was read (bad chunked framing, a short body).
            await ErrorWriter.WriteAsync(http, e.StatusCode, ErrorCodes.None, $"The request is malformed: {e.Message}");
        }
        catch (IOException e) when (e.InnerException is OverflowException && !http.Response.HasStarted)
        {
            // A chunk size past 2 GB: Kestrel reports it as an I/O fault, not as the bad request it is. The framing is
            // lost, so the connection cannot carry another request.
            await ErrorWriter.WriteAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.None, $"The request is malformed: {e.Message}",
                response => response.Headers.Connection = "close");
        }
        catch (Exception e)
        {
            await ErrorWriter.WriteUnexpectedAsync(http, e, logger);
        }
    }
}
