using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Security;

/// <summary>The protector of secured columns and its key ring in the database; each test starts on an empty database.</summary>
public abstract class SecretProtectionTests<TStore>
    where TStore : IStoreFixture, IAsyncLifetime, new()
{
    private static async Task<T> OnFreshDatabaseAsync<T>(Func<TStore, Task<T>> test)
    {
        var fixture = new TStore();
        await fixture.InitializeAsync();
        try
        {
            return await test(fixture);
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<int> KeyCountAsync(IDataStore store)
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Read);
        return (await transaction.GetKeyRingAsync()).Count;
    }

    [Fact]
    public Task Servers_starting_together_on_an_empty_database_read_each_others_secrets() => OnFreshDatabaseAsync(async fixture =>
    {
        await using var first = DataStore.Open(fixture.ConnectionSpec, MetadataCatalog.Default);
        await using var second = DataStore.Open(fixture.ConnectionSpec, MetadataCatalog.Default);

        var protectors = await Task.WhenAll(SecretProtection.CreateAsync(first), SecretProtection.CreateAsync(second));

        var fromFirst = protectors[0].Protect("first secret");
        var fromSecond = protectors[1].Protect("second secret");
        Assert.Equal("first secret", protectors[1].Unprotect(fromFirst));
        Assert.Equal("second secret", protectors[0].Unprotect(fromSecond));
        Assert.InRange(await KeyCountAsync(fixture.Store), 1, 2);
        return true;
    });

    [Fact]
    public Task A_restart_reuses_the_stored_key() => OnFreshDatabaseAsync(async fixture =>
    {
        var before = await SecretProtection.CreateAsync(fixture.Store);
        var stored = before.Protect("kept");

        var after = await SecretProtection.CreateAsync(fixture.Store);

        Assert.Equal("kept", after.Unprotect(stored));
        Assert.Equal(1, await KeyCountAsync(fixture.Store));
        var ring = await GetRingXmlAsync(fixture.Store);
        Assert.DoesNotContain("kept", ring, StringComparison.Ordinal);
        return true;
    });

    [Fact]
    public Task A_value_that_cannot_be_decrypted_is_a_fault_not_a_crash() => OnFreshDatabaseAsync(async fixture =>
    {
        var protector = await SecretProtection.CreateAsync(fixture.Store);
        var stored = protector.Protect("secret");
        var tampered = stored[..^4] + (stored[^4] == 'A' ? "BBBB" : "AAAA");

        var fault = Assert.Throws<OrganizationServiceFaultException>(() => protector.Unprotect(tampered));
        Assert.Contains("cannot be decrypted", fault.Message);
        Assert.DoesNotContain(tampered, fault.Message, StringComparison.Ordinal);
        Assert.Throws<OrganizationServiceFaultException>(() => protector.Unprotect("ca1:not-a-payload"));

        // A database whose key ring is another one (keys lost) cannot read it either.
        var other = new TStore();
        await other.InitializeAsync();
        try
        {
            var stranger = await SecretProtection.CreateAsync(other.Store);
            Assert.Throws<OrganizationServiceFaultException>(() => stranger.Unprotect(stored));
        }
        finally
        {
            await other.DisposeAsync();
        }

        return true;
    });

    [Fact]
    public Task Protected_values_differ_each_time_and_plain_legacy_values_read_as_they_are() => OnFreshDatabaseAsync(async fixture =>
    {
        var protector = await SecretProtection.CreateAsync(fixture.Store);

        var once = protector.Protect("same");
        var twice = protector.Protect("same");

        Assert.StartsWith("ca1:", once, StringComparison.Ordinal);
        Assert.NotEqual(once, twice);
        Assert.DoesNotContain("same", once, StringComparison.Ordinal);
        Assert.Equal("written before encryption", protector.Unprotect("written before encryption"));
        return true;
    });

    private static async Task<string> GetRingXmlAsync(IDataStore store)
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Read);
        return string.Concat((await transaction.GetKeyRingAsync()).Select(e => e.Xml));
    }
}

public sealed class SecretProtectionSqliteTests : SecretProtectionTests<SqliteStoreFixture>;

public sealed class SecretProtectionPostgresTests : SecretProtectionTests<PostgresStoreFixture>;
