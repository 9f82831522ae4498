using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Update; a change of ownerid is an Assign and of statecode/statuscode a SetState, each with its rules.</summary>
public sealed class UpdateHandler : MessageHandler<UpdateRequest, UpdateResponse>
{
    protected override async ValueTask<UpdateResponse> Handle(UpdateRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var entity = RecordWriter.KnownEntity(request.Target?.LogicalName, context);
        if (PrincipalTables.IsManaged(entity.LogicalName))
        {
            await PrincipalWriter.UpdateAsync(entity, request.Target!, request.ConcurrencyBehavior, context, cancellationToken);
        }
        else
        {
            await RecordWriter.UpdateAsync(request.Target!, request.ConcurrencyBehavior, context, cancellationToken);
        }

        return new UpdateResponse();
    }
}
