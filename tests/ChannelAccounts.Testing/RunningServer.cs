using System.Net.Http.Headers;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChannelAccounts.Testing;

/// <summary>
/// A real server over a store, started the way `serve` starts one (its signing key and key ring loaded from the
/// database) on Kestrel at 127.0.0.1 on a free port, with optional extra configuration (log capture, external
/// identity). The one place tests of every project start a server.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, TokenIssuer tokens, ISecretProtector secrets, Uri root)
    {
        _app = app;
        Tokens = tokens;
        Secrets = secrets;
        Root = root;
    }

    public TokenIssuer Tokens { get; }

    public ISecretProtector Secrets { get; }

    /// <summary>http://127.0.0.1:port/ — the server's root.</summary>
    public Uri Root { get; }

    /// <summary>The server's services, for tests that check what it keeps in memory.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<RunningServer> StartAsync(IDataStore store, ServerOptions? options = null, Action<WebApplicationBuilder>? configure = null)
    {
        var tokens = await TokenIssuer.LoadAsync(store);
        var secrets = await SecretProtection.CreateAsync(store);
        var app = ServerApp.Build((options ?? new ServerOptions()) with { Urls = "http://127.0.0.1:0", Quiet = true }, store, tokens, secrets, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningServer(app, tokens, secrets, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client for /api/data/v{version}/ with the headers Dataverse clients send and the given bearer token (none when null).</summary>
    public HttpClient Client(string? bearer, string version = "9.2")
    {
        var client = new HttpClient { BaseAddress = new Uri(Root, $"api/data/v{version}/") };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Add("OData-MaxVersion", "4.0");
        client.DefaultRequestHeaders.Add("OData-Version", "4.0");
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public HttpClient ClientFor(Guid userId, string version = "9.2") => Client(Tokens.Issue(userId), version);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
