using ChannelAccounts.Engine.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace ChannelAccounts.Engine.Security.Secrets;

/// <summary>
/// Builds the protector of secured columns with its key ring in the database. Keys are only ever created here, at
/// start, outside any message's transaction (so a request never waits on a key write): when no key is active or the
/// active one expires within RenewBefore, a new one is added. Servers racing on an empty database may each add one;
/// both stay valid and each server reloads the ring when it meets the other's key.
/// </summary>
public static class SecretProtection
{
    public const string ApplicationName = "ChannelAccounts";
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(14);

    public static async Task<ISecretProtector> CreateAsync(IDataStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var repository = new DatabaseXmlRepository(store);
        await Task.Run(() => EnsureActiveKey(Services(repository)), cancellationToken);
        var protector = await Task.Run(() => new DataProtectionSecretProtector(() => Load(repository)), cancellationToken);
        protector.Unprotect(protector.Protect("probe")); // reads the ring now rather than in the first request
        return protector;
    }

    private static IDataProtector Load(DatabaseXmlRepository repository) =>
        Services(repository).GetRequiredService<IDataProtectionProvider>().CreateProtector(DataProtectionSecretProtector.Purpose);

    private static void EnsureActiveKey(ServiceProvider services)
    {
        var keys = services.GetRequiredService<IKeyManager>();
        var now = DateTimeOffset.UtcNow;
        var renewAfter = now + RenewBefore;
        if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > renewAfter))
        {
            keys.CreateNewKey(now, now + KeyLifetime);
        }
    }

    private static ServiceProvider Services(DatabaseXmlRepository repository)
    {
        var services = new ServiceCollection();
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .DisableAutomaticKeyGeneration()
            .AddKeyManagementOptions(options => options.XmlRepository = repository);
        return services.BuildServiceProvider();
    }
}
