using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace ChannelAccounts.Testing;

/// <summary>A SQLite database in a temporary folder, deleted at dispose.</summary>
public sealed class SqliteStoreFixture : IStoreFixture, IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "channelaccounts-tests", Guid.NewGuid().ToString("N"));
    private IDataStore? _store;

    public SqliteStoreFixture() => ConnectionSpec = DataStore.SqlitePrefix + Path.Combine(_folder, "store.db");

    public string ConnectionSpec { get; }

    public IDataStore Store => _store ?? throw new InvalidOperationException("The fixture is not initialised yet.");

    public async Task InitializeAsync()
    {
        _store = DataStore.Open(ConnectionSpec, MetadataCatalog.Default);
        await _store.EnsureSchemaAsync();
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        // Pooled connections keep the file open; close them before deleting it.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
