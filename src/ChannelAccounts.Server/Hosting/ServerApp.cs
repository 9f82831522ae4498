using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.WebApi;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace ChannelAccounts.Server.Hosting;

/// <summary>Builds the ASP.NET Core application: Kestrel, bearer authentication, and the Web API under /api/data/v9.x.</summary>
public static class ServerApp
{
    public static readonly string[] SupportedVersions = ["9.0", "9.1", "9.2"];

    public static WebApplication Build(ServerOptions options, IDataStore store, TokenIssuer tokens)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes * 2; // our own check answers 413 first, with Dataverse's shape
        });
        builder.Logging.ClearProviders();
        if (!options.Quiet)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(new OrganizationEngine(store));
        builder.Services.AddSingleton(new ODataServices(store.Catalog));
        builder.Services.AddSingleton<WebApiDispatcher>();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = tokens.ValidationParameters();
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new CachingTokenHandler());
                jwt.Events = new JwtBearerEvents
                {
                    OnChallenge = async challenge =>
                    {
                        challenge.HandleResponse();
                        challenge.Response.Headers.WWWAuthenticate = "Bearer";
                        await ErrorWriter.WriteAsync(challenge.HttpContext, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                            "A valid bearer token is required: send 'Authorization: Bearer <token>'. Get a token with `dotnet run --project src/ChannelAccounts.Server -- token`.");
                    },
                };
            });
        builder.Services.AddAuthorization();

        var app = builder.Build();
        app.UseMiddleware<UnexpectedErrorMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        var dispatcher = app.Services.GetRequiredService<WebApiDispatcher>();
        app.Map("/api/data/v{version}/{**path}", (HttpContext http) => SupportedVersions.Contains(http.GetRouteValue("version") as string)
                ? dispatcher.HandleAsync(http)
                : ErrorWriter.WriteAsync(http, WebApiException.NoResource(http.Request.Path)))
            .RequireAuthorization();
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
        catch (BadHttpRequestException e)
        {
            // Kestrel found the request itself malformed while the body was read (bad chunked framing, a short body).
            await ErrorWriter.WriteAsync(http, e.StatusCode, ErrorCodes.None, $"The request is malformed: {e.Message}");
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error for {Method} {Path}", http.Request.Method, http.Request.Path);
            await ErrorWriter.WriteAsync(http, StatusCodes.Status500InternalServerError, unchecked((int)0x80040216),
                "An unexpected error occurred. This is a bug in ChannelAccounts; the server log has the details.");
        }
    }
}
