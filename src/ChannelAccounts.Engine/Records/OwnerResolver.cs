using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Records;

/// <summary>Fills ownerid, owneridtype, owninguser, owningteam and owningbusinessunit from the owner's live row.</summary>
public static class OwnerResolver
{
    private static readonly string[] BusinessUnitColumn = ["businessunitid"];

    public static async ValueTask ApplyOwnerAsync(StoredRow row, EntityReference owner, MessageContext context, CancellationToken cancellationToken)
    {
        if (owner.LogicalName is not (MetadataCatalog.SystemUser or MetadataCatalog.Team))
        {
            throw DataverseFault.InvalidArgument($"An owner must be a systemuser or a team, not '{owner.LogicalName}'.");
        }

        var isUser = owner.LogicalName == MetadataCatalog.SystemUser;
        row["owningbusinessunit"] = isUser && owner.Id == context.Caller.UserId && CallersUnitHolds(context)
            ? context.Caller.BusinessUnitId
            : await BusinessUnitOfAsync(owner, context, cancellationToken);
        row["ownerid"] = owner.Id;
        row["owneridtype"] = OwnerTypes.OwnerTypeCode(owner.LogicalName);
        row["owninguser"] = isUser ? owner.Id : null;
        row["owningteam"] = isUser ? null : owner.Id;
    }

    /// <summary>
    /// Whether the caller (the default owner), resolved from live data or the security stamp this message runs on, is
    /// still in that unit when the record commits: where writers run one at a time nobody can move it before then;
    /// elsewhere the store may check it, with the caller's row locked to commit, in the round trip of its next
    /// statement (on PostgreSQL the INSERT's) instead of reading the row first.
    /// </summary>
    private static bool CallersUnitHolds(MessageContext context) =>
        context.Transaction.SerializesWriters
        || (context.MayAssume && context.Transaction.TryAssumeBusinessUnit(context.Catalog[MetadataCatalog.SystemUser], context.Caller.UserId,
            context.Caller.BusinessUnitId));

    /// <summary>
    /// An owner's business unit, read once per message (a bulk message names the same owners again and again). The
    /// read holds the owner's row until the message commits: deleting a team, or moving an owner to another business
    /// unit with its records, reads the row for update first, so it either waits for this record and then sees it,
    /// or this read waits for it and then finds the owner gone (404) or in its new unit.
    /// </summary>
    private static async ValueTask<object?> BusinessUnitOfAsync(EntityReference owner, MessageContext context, CancellationToken cancellationToken)
    {
        var key = (owner.LogicalName, owner.Id);
        if (!context.OwnerBusinessUnits.TryGetValue(key, out var businessUnit))
        {
            var principal = await context.Transaction.RetrieveForShareAsync(context.Catalog[owner.LogicalName], owner.Id, BusinessUnitColumn, cancellationToken)
                ?? throw DataverseFault.RecordNotFound(owner.LogicalName, owner.Id);
            businessUnit = context.OwnerBusinessUnits[key] = principal["businessunitid"];
        }

        return businessUnit;
    }
}
