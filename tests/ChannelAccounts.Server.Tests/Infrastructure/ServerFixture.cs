using System.Net.Http.Headers;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>
/// A real server for one test class: Kestrel on 127.0.0.1 at a free port, over a fresh database, with the first
/// admin's token. Subclasses pick the database.
/// </summary>
public interface IServerFixture
{
    IDataStore Store { get; }

    string ConnectionSpec { get; }

    OrganizationInfo Organization { get; }

    TokenIssuer Tokens { get; }

    Uri Root { get; }

    HttpClient Admin { get; }

    EntityDefinition Accounts { get; }

    HttpClient ClientFor(Guid userId, string version = "9.2");

    HttpClient Anonymous(string version = "9.2");
}

public abstract class ServerFixture<TStore> : IServerFixture, IAsyncLifetime
    where TStore : IStoreFixture, IAsyncLifetime, new()
{
    private readonly TStore _storeFixture = new();
    private WebApplication? _app;

    public IDataStore Store => _storeFixture.Store;

    public string ConnectionSpec => _storeFixture.ConnectionSpec;

    public OrganizationInfo Organization { get; private set; } = null!;

    public TokenIssuer Tokens { get; private set; } = null!;

    public ISecretProtector Secrets { get; private set; } = null!;

    /// <summary>http://127.0.0.1:port/ — the server's root.</summary>
    public Uri Root { get; private set; } = null!;

    /// <summary>A client for /api/data/v9.2/ authenticated as the first admin.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public virtual long MaxRequestBodyBytes => 64 * 1024;

    public virtual async Task InitializeAsync()
    {
        await _storeFixture.InitializeAsync();
        Organization = await OrganizationSetup.EnsureAsync(Store);
        Tokens = await TokenIssuer.LoadAsync(Store);
        Secrets = await SecretProtection.CreateAsync(Store);
        _app = ServerApp.Build(new ServerOptions { Urls = "http://127.0.0.1:0", Quiet = true, MaxRequestBodyBytes = MaxRequestBodyBytes }, Store, Tokens, Secrets);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Root = new Uri(address.TrimEnd('/') + "/");
        Admin = ClientFor(Organization.AdminUserId);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _storeFixture.DisposeAsync();
    }

    /// <summary>A client for the Web API as the given user, with the headers Dataverse clients send.</summary>
    public HttpClient ClientFor(Guid userId, string version = "9.2")
    {
        var client = Anonymous(version);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens.Issue(userId));
        return client;
    }

    public HttpClient Anonymous(string version = "9.2")
    {
        var client = new HttpClient { BaseAddress = new Uri(Root, $"api/data/v{version}/") };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.Add("OData-MaxVersion", "4.0");
        client.DefaultRequestHeaders.Add("OData-Version", "4.0");
        return client;
    }

    public EntityDefinition Accounts => Store.Catalog[MetadataCatalog.WhatsAppAccount];
}

public sealed class SqliteServerFixture : ServerFixture<SqliteStoreFixture>
{
}

public sealed class PostgresServerFixture : ServerFixture<PostgresStoreFixture>
{
}
