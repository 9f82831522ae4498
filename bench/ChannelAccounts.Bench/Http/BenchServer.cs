using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace ChannelAccounts.Bench.Http;

/// <summary>The real server in process (ServerApp.Build on http://127.0.0.1:0, Quiet) over a store, with the first admin's token.</summary>
public sealed class BenchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BenchServer(WebApplication app, Uri api, string token)
    {
        _app = app;
        Api = api;
        Token = token;
    }

    /// <summary>http://127.0.0.1:port/api/data/v9.2/</summary>
    public Uri Api { get; }

    public string Token { get; }

    public static async Task<BenchServer> StartAsync(IDataStore store, OrganizationInfo organization)
    {
        var tokens = await TokenIssuer.LoadAsync(store);
        var secrets = await Engine.Security.Secrets.SecretProtection.CreateAsync(store);
        var app = ServerApp.Build(new ServerOptions { Urls = "http://127.0.0.1:0", Quiet = true, Database = "(bench)" }, store, tokens, secrets);
        await app.StartAsync();
        return new BenchServer(app, new Uri(Address(app) + "/api/data/v9.2/"), tokens.Issue(organization.AdminUserId));
    }

    public static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First().TrimEnd('/');

    public static Task<OrganizationInfo> PrepareAsync(IDataStore store) => OrganizationSetup.EnsureAsync(store);

    public static IDataStore Open(string spec) => DataStore.Open(spec, MetadataCatalog.Default);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
