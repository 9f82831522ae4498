using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Principals;

/// <summary>The privileges of a role (roleprivileges rows): one per role and privilege, with its depth mask.</summary>
public static class RolePrivilegeStore
{
    public static async ValueTask DemandAsync(Guid roleId, MessageContext context, CancellationToken cancellationToken)
    {
        var roles = context.Catalog[MetadataCatalog.Role];
        await PrincipalWriter.DemandAdministratorAsync("Write", roles, context, cancellationToken);
        // Before SetAsync's "does the role hold it yet" check, so parallel adds of one privilege store one row.
        await PrincipalWriter.HoldSecurityDataAsync(context, cancellationToken);
        await PrincipalWriter.RequireAsync(context, MetadataCatalog.Role, roleId, cancellationToken);
    }

    public static async ValueTask SetAsync(Guid roleId, RolePrivilege privilege, MessageContext context, CancellationToken cancellationToken)
    {
        var definition = SecurityCatalog.Privileges.FirstOrDefault(p => p.Id == privilege.PrivilegeId)
            ?? (privilege.PrivilegeName is { } name ? SecurityCatalog.Privileges.FirstOrDefault(p => p.Name == name) : null)
            ?? throw DataverseFault.RecordNotFound(MetadataCatalog.Privilege, privilege.PrivilegeId);
        var allowed = privilege.Depth switch
        {
            PrivilegeDepth.Basic => definition.CanBeBasic,
            PrivilegeDepth.Local => definition.CanBeLocal,
            PrivilegeDepth.Deep => definition.CanBeDeep,
            PrivilegeDepth.Global => definition.CanBeGlobal,
            _ => false,
        };
        if (!allowed)
        {
            throw DataverseFault.InvalidArgument($"The privilege {definition.Name} cannot be given at depth {privilege.Depth}.");
        }

        var table = context.Catalog[MetadataCatalog.RolePrivileges];
        var id = Id(roleId, definition.Id);
        var version = await context.Transaction.NextVersionAsync(cancellationToken);
        var mask = SecurityCatalog.DepthMask(privilege.Depth);
        if (await context.Transaction.RetrieveAsync(table, id, [], cancellationToken) is null)
        {
            await context.Transaction.InsertAsync(table, new StoredRow
            {
                ["roleprivilegeid"] = id,
                ["roleid"] = roleId,
                ["privilegeid"] = definition.Id,
                ["privilegedepthmask"] = mask,
                ["createdon"] = context.UtcNow,
                ["modifiedon"] = context.UtcNow,
                ["versionnumber"] = version,
            }, cancellationToken);
        }
        else
        {
            await context.Transaction.UpdateAsync(table, id, new StoredRow
            {
                ["privilegedepthmask"] = mask,
                ["modifiedon"] = context.UtcNow,
                ["versionnumber"] = version,
            }, cancellationToken);
        }
    }

    /// <summary>The same id SecuritySeed gives the shipped roles' rows, so Add, Replace and Remove find them.</summary>
    public static Guid Id(Guid roleId, Guid privilegeId) => SecurityCatalog.DeterministicId($"roleprivileges:{roleId}:{privilegeId}");
}
