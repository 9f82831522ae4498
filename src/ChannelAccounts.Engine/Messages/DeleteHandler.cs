using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

public sealed class DeleteHandler : MessageHandler<DeleteRequest, DeleteResponse>
{
    private static readonly string[] VersionColumn = ["versionnumber"];

    protected override async ValueTask<DeleteResponse> Handle(DeleteRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var target = request.Target ?? throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        var entity = RecordWriter.SupportedEntity(target.LogicalName, context);
        var current = await context.Transaction.RetrieveForUpdateAsync(entity, target.Id, VersionColumn, cancellationToken)
            ?? throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        RecordWriter.CheckRowVersion(request.ConcurrencyBehavior, request.RowVersion, current);
        if (!await context.Transaction.DeleteAsync(entity, target.Id, cancellationToken))
        {
            throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        }

        return new DeleteResponse();
    }
}
