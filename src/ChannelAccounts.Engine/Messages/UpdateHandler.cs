using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Update; a change of ownerid is an Assign and of statecode/statuscode a SetState, each with its rules.</summary>
public sealed class UpdateHandler : MessageHandler<UpdateRequest, UpdateResponse>
{
    protected override async ValueTask<UpdateResponse> Handle(UpdateRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        await RecordWriter.UpdateAsync(request.Target, request.ConcurrencyBehavior, context, cancellationToken);
        return new UpdateResponse();
    }
}
