using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using Npgsql;
using Xunit;

namespace ChannelAccounts.Testing;

/// <summary>
/// A database of its own on the test PostgreSQL server (env CHANNELACCOUNTS_TEST_POSTGRES, default the local one
/// scripts/start-postgres.sh starts), dropped at dispose. An unreachable server fails the tests, never skips them.
/// </summary>
public sealed class PostgresStoreFixture : IStoreFixture, IAsyncLifetime
{
    public const string ServerVariable = "CHANNELACCOUNTS_TEST_POSTGRES";
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres";

    private readonly string _database = "ca_test_" + Guid.NewGuid().ToString("N");
    private readonly string _server;
    private IDataStore? _store;

    public PostgresStoreFixture()
    {
        _server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : DefaultServer;
        ConnectionSpec = DataStore.PostgresPrefix + new NpgsqlConnectionStringBuilder(_server) { Database = _database };
    }

    public string ConnectionSpec { get; }

    public IDataStore Store => _store ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    public async Task InitializeAsync()
    {
        await ExecuteOnServerAsync($"CREATE DATABASE {_database}");
        _store = DataStore.Open(ConnectionSpec, MetadataCatalog.Default);
        await _store.EnsureSchemaAsync();
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    /// <summary>Creates a database of its own for a test that needs more than one store.</summary>
    public static async Task<string> CreateDatabaseAsync(string name)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : DefaultServer;
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        return DataStore.PostgresPrefix + new NpgsqlConnectionStringBuilder(server) { Database = name };
    }

    public static Task DropDatabaseAsync(string name)
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } configured ? configured : DefaultServer;
        return ExecuteAsync(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private Task ExecuteOnServerAsync(string sql) => ExecuteAsync(_server, sql);

    private static async Task ExecuteAsync(string server, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ToString());
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"The test PostgreSQL server ({builder.Host}:{builder.Port}) cannot be reached: {e.Message.TrimEnd('.')}. " +
                $"Start it with `bash scripts/start-postgres.sh`, or set {ServerVariable} to a server's connection string.", e);
        }
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
