using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ChannelAccounts.Bench.Http;

/// <summary>
/// The ceiling: a plain minimal Kestrel app on 127.0.0.1:0 in the same process, with no auth, routing to the
/// database or JSON work. GET /record answers the given JSON bytes from memory; POST /create reads the body
/// and answers 204.
/// </summary>
public sealed class CeilingServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CeilingServer(WebApplication app) => _app = app;

    public Uri Root { get; private set; } = null!;

    public static async Task<CeilingServer> StartAsync(byte[] recordJson, string contentType)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/record", async http =>
        {
            http.Response.ContentType = contentType;
            http.Response.ContentLength = recordJson.Length;
            await http.Response.Body.WriteAsync(recordJson);
        });
        app.MapPost("/create", async http =>
        {
            await http.Request.Body.CopyToAsync(Stream.Null);
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        await app.StartAsync();
        return new CeilingServer(app) { Root = new Uri(BenchServer.Address(app) + "/") };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
