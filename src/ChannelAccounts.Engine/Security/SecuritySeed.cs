using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Security;

/// <summary>
/// Puts the shipped security data in place: the privileges, System Administrator (everything, Global) and Basic
/// User (this table at Basic depth). Idempotent, so an older database gains what a newer version ships.
/// </summary>
public static class SecuritySeed
{
    private static readonly string[] IdOnly = [];

    public static async Task EnsureAsync(IStoreTransaction transaction, MetadataCatalog catalog, Guid rootBusinessUnitId, DateTime now,
        CancellationToken cancellationToken)
    {
        foreach (var privilege in SecurityCatalog.Privileges)
        {
            await InsertMissingAsync(transaction, catalog[MetadataCatalog.Privilege], now, new StoredRow
            {
                ["privilegeid"] = privilege.Id,
                ["name"] = privilege.Name,
                ["accessright"] = (int)privilege.Right,
                ["canbebasic"] = privilege.CanBeBasic,
                ["canbelocal"] = privilege.CanBeLocal,
                ["canbedeep"] = privilege.CanBeDeep,
                ["canbeglobal"] = privilege.CanBeGlobal,
            }, cancellationToken);
        }

        await EnsureRoleAsync(transaction, catalog, SecurityCatalog.SystemAdministratorRoleId, SecurityCatalog.SystemAdministratorName,
            rootBusinessUnitId, SecurityCatalog.Privileges.Select(p => (p, PrivilegeDepth.Global)), now, cancellationToken);
        var entity = catalog[MetadataCatalog.WhatsAppAccount];
        await EnsureRoleAsync(transaction, catalog, SecurityCatalog.BasicUserRoleId, SecurityCatalog.BasicUserName, rootBusinessUnitId,
            SecurityCatalog.RecordRights.Select(r => (SecurityCatalog.Privilege(SecurityCatalog.PrivilegeName(entity, r)), PrivilegeDepth.Basic)),
            now, cancellationToken);
    }

    public static Task AssignRoleAsync(IStoreTransaction transaction, MetadataCatalog catalog, Guid userId, Guid roleId, DateTime now,
        CancellationToken cancellationToken) =>
        InsertMissingAsync(transaction, catalog[MetadataCatalog.SystemUserRoles], now, new StoredRow
        {
            ["systemuserroleid"] = SecurityCatalog.DeterministicId($"systemuserroles:{userId}:{roleId}"),
            ["systemuserid"] = userId,
            ["roleid"] = roleId,
        }, cancellationToken);

    private static async Task EnsureRoleAsync(IStoreTransaction transaction, MetadataCatalog catalog, Guid roleId, string name, Guid businessUnitId,
        IEnumerable<(PrivilegeDefinition Privilege, PrivilegeDepth Depth)> privileges, DateTime now, CancellationToken cancellationToken)
    {
        await InsertMissingAsync(transaction, catalog[MetadataCatalog.Role], now, new StoredRow
        {
            ["roleid"] = roleId,
            ["name"] = name,
            ["businessunitid"] = businessUnitId,
            ["ca_readsecuredcolumns"] = roleId == SecurityCatalog.SystemAdministratorRoleId,
        }, cancellationToken);
        foreach (var (privilege, depth) in privileges)
        {
            await InsertMissingAsync(transaction, catalog[MetadataCatalog.RolePrivileges], now, new StoredRow
            {
                ["roleprivilegeid"] = SecurityCatalog.DeterministicId($"roleprivileges:{roleId}:{privilege.Id}"),
                ["roleid"] = roleId,
                ["privilegeid"] = privilege.Id,
                ["privilegedepthmask"] = SecurityCatalog.DepthMask(depth),
            }, cancellationToken);
        }
    }

    private static async Task InsertMissingAsync(IStoreTransaction transaction, EntityDefinition entity, DateTime now, StoredRow row,
        CancellationToken cancellationToken)
    {
        var id = (Guid)row[entity.PrimaryIdAttribute]!;
        if (await transaction.RetrieveAsync(entity, id, IdOnly, cancellationToken) is not null)
        {
            return;
        }

        // Missing (a new database, or one a newer version adds to): servers starting together on PostgreSQL would
        // all insert it, so take the security lock and look again; whoever held it first has inserted it by then.
        await transaction.LockSecurityDataAsync(cancellationToken);
        if (await transaction.RetrieveAsync(entity, id, IdOnly, cancellationToken) is not null)
        {
            return;
        }

        row["createdon"] = now;
        row["modifiedon"] = now;
        row["versionnumber"] = await transaction.NextVersionAsync(cancellationToken);
        await transaction.InsertAsync(entity, row, cancellationToken);
    }
}
