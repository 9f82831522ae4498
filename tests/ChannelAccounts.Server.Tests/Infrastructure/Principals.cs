using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>
/// Adds users, teams and business units straight to the database. The security issue brings their Web API;
/// until then tests arrange principals here.
/// </summary>
public static class Principals
{
    public static async Task<Guid> AddBusinessUnitAsync(IDataStore store, string name, Guid parentId)
    {
        var id = Guid.NewGuid();
        await InsertAsync(store, MetadataCatalog.BusinessUnit, new StoredRow
        {
            ["businessunitid"] = id,
            ["name"] = name,
            ["parentbusinessunitid"] = parentId,
        });
        return id;
    }

    public static async Task<Guid> AddUserAsync(IDataStore store, string firstName, string lastName, Guid businessUnitId, bool disabled = false)
    {
        var id = Guid.NewGuid();
        await InsertAsync(store, MetadataCatalog.SystemUser, new StoredRow
        {
            ["systemuserid"] = id,
            ["domainname"] = $"{firstName}.{lastName}@example.test".ToLowerInvariant(),
            ["firstname"] = firstName,
            ["lastname"] = lastName,
            ["fullname"] = $"{firstName} {lastName}",
            ["yomifullname"] = $"{firstName} {lastName}",
            ["businessunitid"] = businessUnitId,
            ["isdisabled"] = disabled,
        });
        return id;
    }

    public static async Task<Guid> AddTeamAsync(IDataStore store, string name, Guid businessUnitId)
    {
        var id = Guid.NewGuid();
        await InsertAsync(store, MetadataCatalog.Team, new StoredRow
        {
            ["teamid"] = id,
            ["name"] = name,
            ["businessunitid"] = businessUnitId,
            ["teamtype"] = 0,
        });
        return id;
    }

    /// <summary>Gives a user a role (SecurityCatalog.SystemAdministratorRoleId, BasicUserRoleId, or one a test made).</summary>
    public static async Task AssignRoleAsync(IDataStore store, Guid userId, Guid roleId)
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Write);
        await SecuritySeed.AssignRoleAsync(transaction, store.Catalog, userId, roleId, DateTime.UtcNow, default);
        await transaction.CommitAsync();
    }

    /// <summary>A user with the System Administrator role: full rights, for tests about something other than security.</summary>
    public static async Task<Guid> AddAdministratorAsync(IDataStore store, string firstName, string lastName, Guid businessUnitId)
    {
        var id = await AddUserAsync(store, firstName, lastName, businessUnitId);
        await AssignRoleAsync(store, id, SecurityCatalog.SystemAdministratorRoleId);
        return id;
    }

    private static async Task InsertAsync(IDataStore store, string table, StoredRow row)
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Write);
        var now = DateTime.UtcNow;
        row["createdon"] = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        row["modifiedon"] = row["createdon"];
        row["versionnumber"] = await transaction.NextVersionAsync();
        await transaction.InsertAsync(store.Catalog[table], row);
        await transaction.CommitAsync();
    }
}
