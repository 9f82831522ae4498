using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Testing;

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

    IServiceProvider Services { get; }
}

public abstract class ServerFixture<TStore> : IServerFixture, IAsyncLifetime
    where TStore : IStoreFixture, IAsyncLifetime, new()
{
    private readonly TStore _storeFixture = new();
    private RunningServer? _server;

    public IDataStore Store => _storeFixture.Store;

    public string ConnectionSpec => _storeFixture.ConnectionSpec;

    public OrganizationInfo Organization { get; private set; } = null!;

    public TokenIssuer Tokens => Server.Tokens;

    public ISecretProtector Secrets => Server.Secrets;

    /// <summary>http://127.0.0.1:port/ — the server's root.</summary>
    public Uri Root => Server.Root;

    /// <summary>A client for /api/data/v9.2/ authenticated as the first admin.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public virtual long MaxRequestBodyBytes => 64 * 1024;

    private RunningServer Server => _server ?? throw new InvalidOperationException("The server is not started yet.");

    public virtual async Task InitializeAsync()
    {
        await _storeFixture.InitializeAsync();
        Organization = await OrganizationSetup.EnsureAsync(Store);
        _server = await RunningServer.StartAsync(Store, new ServerOptions { MaxRequestBodyBytes = MaxRequestBodyBytes });
        Admin = ClientFor(Organization.AdminUserId);
    }

    public async Task DisposeAsync()
    {
        Admin?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _storeFixture.DisposeAsync();
    }

    /// <summary>A client for the Web API as the given user, with the headers Dataverse clients send.</summary>
    public HttpClient ClientFor(Guid userId, string version = "9.2") => Server.ClientFor(userId, version);

    public HttpClient Anonymous(string version = "9.2") => Server.Client(null, version);

    public IServiceProvider Services => Server.Services;

    public EntityDefinition Accounts => Store.Catalog[MetadataCatalog.WhatsAppAccount];
}

public sealed class SqliteServerFixture : ServerFixture<SqliteStoreFixture>
{
}

public sealed class PostgresServerFixture : ServerFixture<PostgresStoreFixture>
{
}
