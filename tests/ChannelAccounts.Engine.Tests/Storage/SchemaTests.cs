using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Testing;
using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>Schema creation and migration; each test opens databases of its own.</summary>
public abstract class SchemaTests
{
    /// <summary>A new empty database as a DataStore spec, and how to remove it.</summary>
    protected abstract Task<(string Spec, Func<Task> Remove)> NewDatabaseAsync();

    [Fact]
    public async Task EnsureSchema_twice_is_harmless()
    {
        var (spec, remove) = await NewDatabaseAsync();
        try
        {
            await using var store = DataStore.Open(spec, MetadataCatalog.Default);
            await store.EnsureSchemaAsync();
            await store.EnsureSchemaAsync();
            await using var second = DataStore.Open(spec, MetadataCatalog.Default);
            await second.EnsureSchemaAsync();
        }
        finally
        {
            await remove();
        }
    }

    [Fact]
    public async Task Servers_starting_together_migrate_one_at_a_time()
    {
        var (spec, remove) = await NewDatabaseAsync();
        try
        {
            var stores = Enumerable.Range(0, 4).Select(_ => DataStore.Open(spec, MetadataCatalog.Default)).ToList();
            await Task.WhenAll(stores.Select(s => s.EnsureSchemaAsync()));
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
        finally
        {
            await remove();
        }
    }

    [Fact]
    public async Task A_column_added_to_a_definition_is_added_to_the_table_and_the_rows_stay()
    {
        var (spec, remove) = await NewDatabaseAsync();
        try
        {
            var account = MetadataCatalog.Default[MetadataCatalog.WhatsAppAccount];
            var older = Catalog(account, account.Attributes.Where(a => a.LogicalName != "msdyn_twilioinboundurl").ToList());
            var id = Guid.NewGuid();
            await using (var store = DataStore.Open(spec, older))
            {
                await store.EnsureSchemaAsync();
                await using var transaction = await store.BeginAsync(TransactionMode.Write);
                await transaction.InsertAsync(older[MetadataCatalog.WhatsAppAccount],
                    new StoredRow { ["msdyn_ocwhatsappchannelaccountid"] = id, ["msdyn_name"] = "kept" });
                await transaction.CommitAsync();
            }

            var extra = new AttributeDefinition { LogicalName = "ca_extra", SchemaName = "ca_extra", AttributeType = AttributeTypeCode.Integer };
            var newer = Catalog(account, [.. account.Attributes, extra]);
            await using (var store = DataStore.Open(spec, newer))
            {
                await store.EnsureSchemaAsync();
                var table = newer[MetadataCatalog.WhatsAppAccount];
                await using (var transaction = await store.BeginAsync(TransactionMode.Write))
                {
                    Assert.True(await transaction.UpdateAsync(table, id, new StoredRow { ["ca_extra"] = 7, ["msdyn_twilioinboundurl"] = "https://x" }));
                    await transaction.CommitAsync();
                }
                await using var read = await store.BeginAsync(TransactionMode.Read);
                var row = await read.RetrieveAsync(table, id, ["msdyn_name", "ca_extra", "msdyn_twilioinboundurl"]);
                Assert.Equal("kept", row!["msdyn_name"]);
                Assert.Equal(7, row["ca_extra"]);
                Assert.Equal("https://x", row["msdyn_twilioinboundurl"]);
            }
        }
        finally
        {
            await remove();
        }
    }

    [Fact]
    public async Task Upgrading_a_database_unique_by_MessageSid_alone_lets_two_accounts_store_one_MessageSid_and_keeps_the_messages()
    {
        var (spec, remove) = await NewDatabaseAsync();
        try
        {
            var messages = MetadataCatalog.Default[MetadataCatalog.WhatsAppMessage];
            var kept = Guid.NewGuid();
            await using (var store = DataStore.Open(spec, MetadataCatalog.Default))
            {
                await store.EnsureSchemaAsync();
                // The schema before messages were unique per account: unique by MessageSid alone, and not yet upgraded.
                await ExecuteAsync(spec,
                    "DROP INDEX ux_ca_whatsappmessage_ca_accountmessagesid_key",
                    "CREATE UNIQUE INDEX ux_ca_whatsappmessage_ca_messagesid_key ON ca_whatsappmessage (ca_messagesid)",
                    "DELETE FROM ca_schema_version");
                await using var transaction = await store.BeginAsync(TransactionMode.Write);
                await transaction.InsertAsync(messages, Message(kept, Guid.NewGuid(), "SMold"));
                await transaction.CommitAsync();
            }

            await using (var store = DataStore.Open(spec, MetadataCatalog.Default))
            {
                await store.EnsureSchemaAsync();
                var account = Guid.NewGuid();
                await using var transaction = await store.BeginAsync(TransactionMode.Write);
                Assert.True(await transaction.TryInsertAsync(messages, Message(Guid.NewGuid(), account, "SMold")));
                Assert.False(await transaction.TryInsertAsync(messages, Message(Guid.NewGuid(), account, "SMold")));
                Assert.NotNull(await transaction.RetrieveAsync(messages, kept, ["ca_messagesid"]));
                await transaction.CommitAsync();
            }
        }
        finally
        {
            await remove();
        }
    }

    private static StoredRow Message(Guid id, Guid account, string messageSid) => new()
    {
        ["ca_whatsappmessageid"] = id,
        ["ca_whatsappaccountid"] = account,
        ["ca_messagesid"] = messageSid,
    };

    /// <summary>Raw SQL on the database, as an older version of the server left it.</summary>
    protected abstract Task ExecuteAsync(string spec, params string[] statements);

    [Theory]
    [InlineData("")]
    [InlineData("mysql:server=x")]
    [InlineData("sqlite:")]
    public void Open_refuses_a_database_it_does_not_understand(string spec)
    {
        var error = Assert.Throws<ArgumentException>(() => DataStore.Open(spec, MetadataCatalog.Default));
        Assert.Contains("sqlite:PATH", error.Message, StringComparison.Ordinal);
    }

    private static MetadataCatalog Catalog(EntityDefinition account, IReadOnlyList<AttributeDefinition> attributes)
    {
        var changed = new EntityDefinition
        {
            LogicalName = account.LogicalName,
            SchemaName = account.SchemaName,
            EntitySetName = account.EntitySetName,
            PrimaryIdAttribute = account.PrimaryIdAttribute,
            PrimaryNameAttribute = account.PrimaryNameAttribute,
            OwnershipType = account.OwnershipType,
            ObjectTypeCode = account.ObjectTypeCode,
            Attributes = attributes,
        };
        return new MetadataCatalog(MetadataCatalog.Default.Entities.Select(e => e.LogicalName == account.LogicalName ? changed : e));
    }
}

public sealed class SqliteSchemaTests : SchemaTests
{
    [Fact]
    public async Task Open_creates_the_folder_of_a_sqlite_database()
    {
        var folder = Path.Combine(Path.GetTempPath(), "channelaccounts-tests", Guid.NewGuid().ToString("N"), "nested");
        try
        {
            await using (var store = DataStore.Open("sqlite:" + Path.Combine(folder, "x.db"), MetadataCatalog.Default))
            {
                await store.EnsureSchemaAsync();
            }
            Assert.True(File.Exists(Path.Combine(folder, "x.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    protected override async Task ExecuteAsync(string spec, params string[] statements)
    {
        await using var connection = new SqliteConnection("Data Source=" + spec["sqlite:".Length..]);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }

    protected override Task<(string Spec, Func<Task> Remove)> NewDatabaseAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "channelaccounts-tests", Guid.NewGuid().ToString("N"));
        Func<Task> remove = () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return Task.CompletedTask;
        };
        return Task.FromResult(("sqlite:" + Path.Combine(folder, "store.db"), remove));
    }
}

public sealed class PostgresSchemaTests : SchemaTests
{
    [Fact]
    public async Task The_folded_name_index_keeps_a_larger_statistics_target_so_prefix_ranges_are_estimated_well()
    {
        var (spec, remove) = await NewDatabaseAsync();
        try
        {
            await using (var store = DataStore.Open(spec, MetadataCatalog.Default))
            {
                await store.EnsureSchemaAsync();
            }

            await using var connection = new Npgsql.NpgsqlConnection(spec["postgres:".Length..]);
            await connection.OpenAsync();
            await using var target = new Npgsql.NpgsqlCommand(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = 'ix_msdyn_ocwhatsappchannelaccount_msdyn_name'::regclass AND attnum = 1",
                connection);
            Assert.Equal(1000, Convert.ToInt32(await target.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            await remove();
        }
    }

    protected override async Task ExecuteAsync(string spec, params string[] statements)
    {
        await using var connection = new Npgsql.NpgsqlConnection(spec["postgres:".Length..]);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    protected override async Task<(string Spec, Func<Task> Remove)> NewDatabaseAsync()
    {
        var name = "ca_test_" + Guid.NewGuid().ToString("N");
        var spec = await PostgresStoreFixture.CreateDatabaseAsync(name);
        return (spec, () => PostgresStoreFixture.DropDatabaseAsync(name));
    }
}
