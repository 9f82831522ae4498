using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Security;

/// <summary>The ownership facts of a record that access decisions need.</summary>
public readonly record struct RecordOwnership(Guid Id, Guid OwnerId, Guid OwningBusinessUnitId)
{
    public static RecordOwnership From(Guid id, StoredRow row) =>
        new(id, (Guid)row["ownerid"]!, (Guid)row["owningbusinessunit"]!);
}

/// <summary>
/// Every access decision of a message, taken in the engine: first the privilege (0x80040220), then the access to
/// the record (0x80048306) from ownership, role depth against the owning business unit, and shares, unioned.
/// A share never grants a right the principal holds no privilege for.
/// </summary>
public sealed class AccessChecker(MessageContext context)
{
    public static readonly string[] OwnershipColumns = ["ownerid", "owningbusinessunit"];
    private SecurityProfile? _caller;

    /// <summary>
    /// The caller's rights, once per message, from live data or the cache of the current security stamp; while
    /// impersonating, those the impersonated user and the real caller both hold.
    /// </summary>
    public async ValueTask<SecurityProfile> CallerAsync(CancellationToken cancellationToken)
    {
        if (_caller is null)
        {
            var caller = await Loader.ForUserAsync(context.Caller.UserId, context.Caller.BusinessUnitId, cancellationToken);
            _caller = context.Caller.IsImpersonating
                ? caller.ImpersonatedBy(await Loader.ForUserAsync(context.Caller.RealUserId, context.Caller.RealBusinessUnitId, cancellationToken))
                : caller;
        }

        return _caller;
    }

    public SecurityProfileLoader Loader => new(context.Transaction, context.UtcNow, context.ProfileCache);

    public async ValueTask<SecurityProfile> DemandPrivilegeAsync(EntityDefinition entity, AccessRights right, CancellationToken cancellationToken)
    {
        var caller = await CallerAsync(cancellationToken);
        DemandPrivilege(caller, entity, right);
        return caller;
    }

    public void DemandPrivilege(SecurityProfile principal, EntityDefinition entity, AccessRights right)
    {
        var name = SecurityCatalog.PrivilegeName(entity, right);
        if (!principal.HasPrivilege(name))
        {
            throw PrivilegeDenied(principal, entity, name);
        }
    }

    /// <summary>Privilege first, then access to this record; the caller's profile is returned for further checks.</summary>
    public async ValueTask DemandAccessAsync(EntityDefinition entity, RecordOwnership record, AccessRights right, CancellationToken cancellationToken)
    {
        var caller = await DemandPrivilegeAsync(entity, right, cancellationToken);
        if ((await RightsAsync(caller, entity, record, cancellationToken) & right) == 0)
        {
            throw AccessDenied(caller.PrincipalId, entity, record.Id, right);
        }
    }

    /// <summary>Every right the principal has on the record, from all sources, limited to the privileges it holds.</summary>
    public async ValueTask<AccessRights> RightsAsync(SecurityProfile principal, EntityDefinition entity, RecordOwnership record, CancellationToken cancellationToken)
    {
        var held = AccessRights.None;
        var reached = AccessRights.None;
        foreach (var right in SecurityCatalog.RecordRights)
        {
            var privilege = SecurityCatalog.PrivilegeName(entity, right);
            if (principal.HasPrivilege(privilege))
            {
                held |= right;
                if (principal.Reaches(privilege, record.OwnerId, record.OwningBusinessUnitId))
                {
                    reached |= right;
                }
            }
        }

        // Shares only add rights the principal holds a privilege for: when its depth reaches them all, skip the query.
        if (reached == held)
        {
            return reached;
        }

        return reached | (held & await SharedRightsAsync(principal, record.Id, cancellationToken));
    }

    /// <summary>
    /// The rows of any readable table the caller may read: a user-owned table's own read filter, a table read through a
    /// lookup gets its parent's (no privilege of its own), other tables none (null: every row).
    /// </summary>
    public async ValueTask<RowSecurity?> RowFilterAsync(EntityDefinition entity, CancellationToken cancellationToken)
    {
        if (entity.IsUserOwned)
        {
            return await ReadFilterAsync(entity, cancellationToken);
        }

        if (entity.ReadAccessThrough is not { } lookup)
        {
            return null;
        }

        var parent = context.Catalog[entity.Attribute(lookup).Targets[0]];
        return await ReadFilterAsync(parent, cancellationToken) is { } filter ? filter with { Through = new RowSecurityParent(parent, lookup) } : null;
    }

    /// <summary>
    /// The read filter of every table the query links to (joined, or tested by a filter's AnyAllFilterLinkEntity),
    /// keyed by table: a related row the caller may not read is left out (its columns null, the main row dropped under
    /// an inner join, or not counted by a test of related rows), and a link to a table the caller holds no read
    /// privilege on is refused, as in Dataverse. Null when the query has no links.
    /// </summary>
    public async ValueTask<IReadOnlyDictionary<string, RowSecurity?>?> LinkFiltersAsync(IReadOnlyList<LinkEntity> links,
        FilterExpression criteria, CancellationToken cancellationToken)
    {
        Dictionary<string, RowSecurity?>? filters = null;
        foreach (var (link, _) in LinkTree.WalkEvery(links, criteria))
        {
            filters ??= new Dictionary<string, RowSecurity?>(StringComparer.Ordinal);
            var target = Records.RecordWriter.ReadableEntity(link.LinkToEntityName, context);
            if (!filters.ContainsKey(target.LogicalName))
            {
                filters[target.LogicalName] = await RowFilterAsync(target, cancellationToken);
            }
        }

        return filters;
    }

    /// <summary>The rows of a table the caller may read, as a predicate for the query; null when it reads all of them.</summary>
    public async ValueTask<RowSecurity?> ReadFilterAsync(EntityDefinition entity, CancellationToken cancellationToken)
    {
        var caller = await DemandPrivilegeAsync(entity, AccessRights.ReadAccess, cancellationToken);
        var grants = caller.Grants[SecurityCatalog.PrivilegeName(entity, AccessRights.ReadAccess)];
        if (grants.Any(g => g.Depth == PrivilegeDepth.Global))
        {
            return null;
        }

        var units = new HashSet<Guid>();
        foreach (var grant in grants)
        {
            if (grant.Depth == PrivilegeDepth.Local)
            {
                units.Add(grant.AnchorBusinessUnitId);
            }
            else if (grant.Depth == PrivilegeDepth.Deep && caller.Subtrees.TryGetValue(grant.AnchorBusinessUnitId, out var subtree))
            {
                units.UnionWith(subtree);
            }
        }

        return new RowSecurity(caller.OwnPrincipalIds, units.ToList(), caller.OwnPrincipalIds, (int)AccessRights.ReadAccess);
    }

    private async ValueTask<AccessRights> SharedRightsAsync(SecurityProfile principal, Guid recordId, CancellationToken cancellationToken)
    {
        var query = new QueryExpression(MetadataCatalog.PrincipalObjectAccess) { ColumnSet = new ColumnSet("principalid", "accessrightsmask") };
        query.Criteria.AddCondition("objectid", ConditionOperator.Equal, recordId);
        query.Criteria.AddCondition("principalid", ConditionOperator.In, principal.OwnPrincipalIds.Cast<object?>().ToArray());
        var page = await context.Transaction.QueryAsync(query, new QueryContext(Guid.Empty, Guid.Empty, context.UtcNow), cancellationToken);
        return page.Rows.Aggregate(AccessRights.None, (all, row) => all | (AccessRights)((int?)row["accessrightsmask"] ?? 0));
    }

    public OrganizationServiceFaultException PrivilegeDenied(SecurityProfile principal, EntityDefinition entity, string privilege)
    {
        var id = SecurityCatalog.Privileges.FirstOrDefault(p => p.Name == privilege)?.Id ?? Guid.Empty;
        return new OrganizationServiceFaultException(ErrorCodes.PrivilegeDenied,
            $"Principal {(principal.IsTeam ? "team" : "user")} (Id={principal.PrincipalId}, type={(principal.IsTeam ? 9 : 8)}, roleCount={principal.RoleCount}, " +
            $"privilegeCount={principal.Grants.Count}, accessMode='0 Read-Write', businessUnitId={principal.BusinessUnitId}), is missing {privilege} privilege " +
            $"(Id={id}) on OTC={entity.ObjectTypeCode} for entity '{entity.LogicalName}' (LocalizedName='{entity.DisplayName}'). " +
            $"context.Caller={context.Caller.RealUserId}. Consider adding missed privilege to one of the principal (user/team) roles.");
    }

    public static OrganizationServiceFaultException AccessDenied(Guid principalId, EntityDefinition entity, Guid recordId, AccessRights right) =>
        new(ErrorCodes.AccessDenied,
            $"Principal with id {principalId} does not have {right} right(s) for record with id {recordId} of entity {entity.LogicalName}.");
}
