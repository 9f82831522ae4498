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
        row["owningbusinessunit"] = isUser && owner.Id == context.Caller.UserId
            // The caller (the default owner) was resolved from live data, or the current security stamp, this message.
            ? context.Caller.BusinessUnitId
            : (await context.Transaction.RetrieveAsync(context.Catalog[owner.LogicalName], owner.Id, BusinessUnitColumn, cancellationToken)
               ?? throw DataverseFault.RecordNotFound(owner.LogicalName, owner.Id))["businessunitid"];
        row["ownerid"] = owner.Id;
        row["owneridtype"] = OwnerTypes.OwnerTypeCode(owner.LogicalName);
        row["owninguser"] = isUser ? owner.Id : null;
        row["owningteam"] = isUser ? null : owner.Id;
    }
}
