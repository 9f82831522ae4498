using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Principals;

/// <summary>The records a user or team owns, in every user-owned table of the catalog.</summary>
public static class OwnedRecords
{
    /// <summary>True when the principal owns at least one record.</summary>
    public static async ValueTask<bool> AnyAsync(Guid principalId, MessageContext context, CancellationToken cancellationToken)
    {
        foreach (var table in Tables(context))
        {
            var query = new QueryExpression(table.LogicalName) { ColumnSet = new Sdk.ColumnSet(), TopCount = 1 };
            query.Criteria.AddCondition("ownerid", ConditionOperator.Equal, principalId);
            if ((await context.Transaction.QueryAsync(query, context.QueryContext, cancellationToken)).Rows.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Moves the principal's records to its new business unit, as Dataverse's SetBusinessSystemUser and SetParentTeam
    /// do unless DoNotMoveAllRecords is set (an update of businessunitid is the same message): owningbusinessunit
    /// follows the owner, as an Assign sets it, so Local and Deep access are reckoned from the unit the owner is in.
    /// One UPDATE per table, in the principal's own transaction; each record gets a new versionnumber and is stamped
    /// modified by the caller, as an Assign stamps it.
    /// </summary>
    public static async ValueTask MoveToBusinessUnitAsync(Guid principalId, Guid businessUnitId, MessageContext context, CancellationToken cancellationToken)
    {
        foreach (var table in Tables(context))
        {
            var changes = new StoredRow { ["owningbusinessunit"] = businessUnitId };
            Stamp(table, changes, "modifiedon", context.UtcNow);
            Stamp(table, changes, "modifiedby", context.Caller.UserId);
            Stamp(table, changes, "modifiedonbehalfby", context.Caller.IsImpersonating ? context.Caller.RealUserId : null);
            await context.Transaction.UpdateWhereAsync(table, "ownerid", principalId, changes, cancellationToken);
        }
    }

    private static IEnumerable<EntityDefinition> Tables(MessageContext context) => context.Catalog.Entities.Where(e => e.IsUserOwned);

    private static void Stamp(EntityDefinition table, StoredRow changes, string column, object? value)
    {
        if (table.TryGetAttribute(column, out var attribute) && attribute.IsStored)
        {
            changes[column] = value;
        }
    }
}
