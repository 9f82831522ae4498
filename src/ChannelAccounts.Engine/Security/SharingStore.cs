using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Security;

/// <summary>The shares of records (Dataverse's PrincipalObjectAccess): one row per record and principal, with its rights.</summary>
public sealed class SharingStore(MessageContext context)
{
    private const AccessRights AllRights = AccessRights.ReadAccess | AccessRights.WriteAccess | AccessRights.AppendAccess
        | AccessRights.AppendToAccess | AccessRights.CreateAccess | AccessRights.DeleteAccess | AccessRights.ShareAccess | AccessRights.AssignAccess;

    private EntityDefinition Table => context.Catalog[MetadataCatalog.PrincipalObjectAccess];

    /// <summary>The explicit shares of a record (not ownership or role depth).</summary>
    public async ValueTask<IReadOnlyList<PrincipalAccess>> ForRecordAsync(Guid objectId, CancellationToken cancellationToken)
    {
        var query = new QueryExpression(Table.LogicalName) { ColumnSet = new ColumnSet("principalid", "principaltypecode", "accessrightsmask") };
        query.Criteria.AddCondition("objectid", ConditionOperator.Equal, objectId);
        query.AddOrder("createdon", OrderType.Ascending);
        var page = await context.Transaction.QueryAsync(query, new QueryContext(Guid.Empty, Guid.Empty, context.UtcNow), cancellationToken);
        return page.Rows
            .Where(r => (int?)r["accessrightsmask"] is > 0)
            .Select(r => new PrincipalAccess
            {
                Principal = new EntityReference(OwnerTypes.OwnerLogicalName((int)r["principaltypecode"]!), (Guid)r["principalid"]!),
                AccessMask = (AccessRights)(int)r["accessrightsmask"]!,
            })
            .ToList();
    }

    /// <summary>Sets the principal's rights on the record: combined with what it had (GrantAccess) or replacing it (ModifyAccess).</summary>
    public async ValueTask SetAsync(EntityDefinition entity, Guid objectId, EntityReference principal, AccessRights rights, bool combine,
        CancellationToken cancellationToken)
    {
        var id = ShareId(objectId, principal.Id);
        var current = await context.Transaction.RetrieveAsync(Table, id, ["accessrightsmask"], cancellationToken);
        var mask = (int)((combine && current is not null ? (AccessRights)(int)current["accessrightsmask"]! : AccessRights.None) | rights);
        var version = await context.Transaction.NextVersionAsync(cancellationToken);
        if (current is null)
        {
            await context.Transaction.InsertAsync(Table, new StoredRow
            {
                ["principalobjectaccessid"] = id,
                ["principalid"] = principal.Id,
                ["principaltypecode"] = OwnerTypes.OwnerTypeCode(principal.LogicalName),
                ["objectid"] = objectId,
                ["objecttypecode"] = entity.ObjectTypeCode,
                ["accessrightsmask"] = mask,
                ["inheritedaccessrightsmask"] = 0,
                ["createdon"] = context.UtcNow,
                ["modifiedon"] = context.UtcNow,
                ["versionnumber"] = version,
            }, cancellationToken);
            return;
        }

        await context.Transaction.UpdateAsync(Table, id, new StoredRow
        {
            ["accessrightsmask"] = mask,
            ["modifiedon"] = context.UtcNow,
            ["versionnumber"] = version,
        }, cancellationToken);
    }

    public async ValueTask RevokeAsync(Guid objectId, Guid principalId, CancellationToken cancellationToken) =>
        await context.Transaction.DeleteAsync(Table, ShareId(objectId, principalId), cancellationToken);

    /// <summary>An AccessMask a caller sent: known rights only.</summary>
    public static AccessRights Validate(AccessRights rights) =>
        (rights & ~AllRights) == 0
            ? rights
            : throw DataverseFault.InvalidArgument($"The AccessMask {(int)rights} holds rights that do not exist; use AccessRights names such as ReadAccess, WriteAccess.");

    /// <summary>One share per record and principal: the id follows from both, so two grants cannot make two rows.</summary>
    private static Guid ShareId(Guid objectId, Guid principalId) => SecurityCatalog.DeterministicId($"poa:{objectId}:{principalId}");
}
