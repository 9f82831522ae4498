using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Testing;

/// <summary>Users and business units written straight to the store, as another server (or an administrator's tool) would.</summary>
public static class StorePrincipals
{
    /// <summary>An enabled user in that unit, System Administrator when asked (its roles otherwise none).</summary>
    public static async Task<Guid> AddUserAsync(IDataStore store, Guid businessUnitId, bool administrator)
    {
        ArgumentNullException.ThrowIfNull(store);
        var id = Guid.NewGuid();
        await using var transaction = await store.BeginAsync(TransactionMode.Write);
        await transaction.InsertAsync(store.Catalog[MetadataCatalog.SystemUser], new StoredRow
        {
            ["systemuserid"] = id,
            ["domainname"] = $"user.{id:N}@example.test",
            ["fullname"] = "User " + id.ToString("N")[..8],
            ["businessunitid"] = businessUnitId,
            ["isdisabled"] = false,
        });
        if (administrator)
        {
            await SecuritySeed.AssignRoleAsync(transaction, store.Catalog, id, SecurityCatalog.SystemAdministratorRoleId, DateTime.UtcNow, default);
        }
        await transaction.CommitAsync();
        return id;
    }

    /// <summary>A business unit under the parent.</summary>
    public static async Task<Guid> AddBusinessUnitAsync(IDataStore store, Guid parentId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var id = Guid.NewGuid();
        await using var transaction = await store.BeginAsync(TransactionMode.Write);
        await transaction.InsertAsync(store.Catalog[MetadataCatalog.BusinessUnit], new StoredRow
        {
            ["businessunitid"] = id,
            ["name"] = "Unit " + id.ToString("N")[..8],
            ["parentbusinessunitid"] = parentId,
        });
        await transaction.CommitAsync();
        return id;
    }
}
