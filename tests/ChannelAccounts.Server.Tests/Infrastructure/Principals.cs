using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;

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

    /// <summary>A role in the root business unit holding the table's privileges for the given rights at one depth.</summary>
    public static async Task<Guid> AddRoleAsync(IDataStore store, string name, Guid businessUnitId, PrivilegeDepth depth, params AccessRights[] rights)
    {
        var roleId = Guid.NewGuid();
        await InsertAsync(store, MetadataCatalog.Role, new StoredRow
        {
            ["roleid"] = roleId,
            ["name"] = name,
            ["businessunitid"] = businessUnitId,
            ["ca_readsecuredcolumns"] = false,
        });
        var entity = store.Catalog[MetadataCatalog.WhatsAppAccount];
        foreach (var right in rights.Length == 0 ? SecurityCatalog.RecordRights : rights)
        {
            await AddRolePrivilegeAsync(store, roleId, SecurityCatalog.Privilege(SecurityCatalog.PrivilegeName(entity, right)).Id, depth);
        }

        return roleId;
    }

    public static Task AddRolePrivilegeAsync(IDataStore store, Guid roleId, Guid privilegeId, PrivilegeDepth depth) =>
        InsertAsync(store, MetadataCatalog.RolePrivileges, new StoredRow
        {
            ["roleprivilegeid"] = Guid.NewGuid(),
            ["roleid"] = roleId,
            ["privilegeid"] = privilegeId,
            ["privilegedepthmask"] = SecurityCatalog.DepthMask(depth),
        });

    public static Task AddTeamMemberAsync(IDataStore store, Guid teamId, Guid userId) =>
        InsertAsync(store, MetadataCatalog.TeamMembership, new StoredRow
        {
            ["teammembershipid"] = Guid.NewGuid(),
            ["teamid"] = teamId,
            ["systemuserid"] = userId,
        });

    public static Task AssignTeamRoleAsync(IDataStore store, Guid teamId, Guid roleId) =>
        InsertAsync(store, MetadataCatalog.TeamRoles, new StoredRow
        {
            ["teamroleid"] = Guid.NewGuid(),
            ["teamid"] = teamId,
            ["roleid"] = roleId,
        });

    /// <summary>Removes every role a user holds directly (live data: the next call must feel it).</summary>
    public static async Task RemoveRolesAsync(IDataStore store, Guid userId)
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Write);
        await transaction.DeleteWhereAsync(store.Catalog[MetadataCatalog.SystemUserRoles], "systemuserid", userId);
        await transaction.CommitAsync();
    }

    public static async Task SetObjectIdAsync(IDataStore store, Guid userId, Guid objectId)
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Write);
        await transaction.UpdateAsync(store.Catalog[MetadataCatalog.SystemUser], userId, new StoredRow { ["azureactivedirectoryobjectid"] = objectId });
        await transaction.CommitAsync();
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
