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

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>
/// Another server started by a test, the way `serve` starts one: its own signing key and key ring loaded from the
/// database, optional extra configuration (log capture, external identity).
/// </summary>
public sealed class ExtraServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ExtraServer(WebApplication app, TokenIssuer tokens, Uri root)
    {
        _app = app;
        Tokens = tokens;
        Root = root;
    }

    public TokenIssuer Tokens { get; }

    public Uri Root { get; }

    public static async Task<ExtraServer> StartAsync(IDataStore store, ServerOptions? options = null, Action<WebApplicationBuilder>? configure = null)
    {
        var tokens = await TokenIssuer.LoadAsync(store);
        var secrets = await SecretProtection.CreateAsync(store);
        var app = ServerApp.Build((options ?? new ServerOptions()) with { Urls = "http://127.0.0.1:0", Quiet = true }, store, tokens, secrets, configure);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new ExtraServer(app, tokens, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client for /api/data/v9.2/ with the given bearer token (none when null).</summary>
    public HttpClient Client(string? bearer)
    {
        var client = new HttpClient { BaseAddress = new Uri(Root, "api/data/v9.2/") };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public HttpClient ClientFor(Guid userId) => Client(Tokens.Issue(userId));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
