using ChannelAccounts.Client;
using ChannelAccounts.Engine;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Client.Tests.Infrastructure;

/// <summary>An organization to run scenarios in: its first admin's service and a service for any other user.</summary>
public interface IServiceWorld
{
    OrganizationInfo Organization { get; }

    IOrganizationServiceAsync Admin { get; }

    IOrganizationServiceAsync ServiceFor(Guid userId);
}

/// <summary>In process: EngineOrganizationService over a fresh database.</summary>
public abstract class EngineWorld<TStore> : IServiceWorld, IAsyncLifetime
    where TStore : IStoreFixture, IAsyncLifetime, new()
{
    private readonly TStore _store = new();
    private OrganizationEngine _engine = null!;

    public OrganizationInfo Organization { get; private set; } = null!;

    public IOrganizationServiceAsync Admin { get; private set; } = null!;

    public IOrganizationServiceAsync ServiceFor(Guid userId) => new EngineOrganizationService(_engine, CallerIdentity.User(userId));

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        Organization = await OrganizationSetup.EnsureAsync(_store.Store);
        _engine = new OrganizationEngine(_store.Store, await SecretProtection.CreateAsync(_store.Store));
        Admin = ServiceFor(Organization.AdminUserId);
    }

    public Task DisposeAsync() => _store.DisposeAsync();
}

/// <summary>Over HTTP: ChannelAccountsServiceClient against a real server (Kestrel on 127.0.0.1, a free port) with real tokens.</summary>
public abstract class HttpWorld<TStore> : IServiceWorld, IAsyncLifetime
    where TStore : IStoreFixture, IAsyncLifetime, new()
{
    private readonly TStore _store = new();
    private readonly List<ChannelAccountsServiceClient> _clients = [];
    private RunningServer? _server;

    public OrganizationInfo Organization { get; private set; } = null!;

    public IOrganizationServiceAsync Admin { get; private set; } = null!;

    public TokenIssuer Tokens => Server.Tokens;

    /// <summary>http://127.0.0.1:port/ — the server's root.</summary>
    public Uri Root => Server.Root;

    private RunningServer Server => _server ?? throw new InvalidOperationException("The server is not started yet.");

    public IOrganizationServiceAsync ServiceFor(Guid userId)
    {
        var client = new ChannelAccountsServiceClient(Root, _ => Task.FromResult(Tokens.Issue(userId)));
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public async Task InitializeAsync()
    {
        await _store.InitializeAsync();
        Organization = await OrganizationSetup.EnsureAsync(_store.Store);
        _server = await RunningServer.StartAsync(_store.Store);
        Admin = ServiceFor(Organization.AdminUserId);
    }

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _store.DisposeAsync();
    }
}

public sealed class EngineSqliteWorld : EngineWorld<SqliteStoreFixture>;

public sealed class EnginePostgresWorld : EngineWorld<PostgresStoreFixture>;

public sealed class HttpSqliteWorld : HttpWorld<SqliteStoreFixture>;

public sealed class HttpPostgresWorld : HttpWorld<PostgresStoreFixture>;
