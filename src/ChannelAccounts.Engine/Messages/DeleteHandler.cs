using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Deletes a record, its shares and the rows read through it, with If-Match honoured.</summary>
public sealed class DeleteHandler : MessageHandler<DeleteRequest, DeleteResponse>
{
    private static readonly string[] CheckColumns = ["versionnumber", "ownerid", "owningbusinessunit"];

    protected override async ValueTask<DeleteResponse> Handle(DeleteRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var target = request.Target ?? throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        if (PrincipalTables.IsManaged(target.LogicalName))
        {
            await PrincipalWriter.DeleteAsync(RecordWriter.KnownEntity(target.LogicalName, context), target.Id, request.ConcurrencyBehavior, request.RowVersion,
                context, cancellationToken);
            return new DeleteResponse();
        }

        var entity = RecordWriter.SupportedEntity(target.LogicalName, context);
        var current = await context.Transaction.RetrieveForUpdateAsync(entity, target.Id, CheckColumns, cancellationToken)
            ?? throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        await context.Access.DemandAccessAsync(entity, RecordOwnership.From(target.Id, current), AccessRights.DeleteAccess, cancellationToken);
        RecordWriter.CheckRowVersion(request.ConcurrencyBehavior, request.RowVersion, current);
        await context.Transaction.DeleteWhereAsync(context.Catalog[MetadataCatalog.PrincipalObjectAccess], "objectid", target.Id, cancellationToken);
        // Rows read through this record (an account's WhatsApp messages) go with it, as a parental cascade does.
        foreach (var child in context.Catalog.Entities)
        {
            if (child.ReadAccessThrough is { } lookup && child.Attribute(lookup).Targets.Contains(entity.LogicalName))
            {
                await context.Transaction.DeleteWhereAsync(child, lookup, target.Id, cancellationToken);
            }
        }

        if (!await context.Transaction.DeleteAsync(entity, target.Id, cancellationToken))
        {
            throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        }

        return new DeleteResponse();
    }
}
