using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>SetState is an update of statecode and statuscode: the pair must belong together (0x80048408 otherwise).</summary>
public sealed class SetStateHandler : MessageHandler<SetStateRequest, SetStateResponse>
{
    protected override async ValueTask<SetStateResponse> Handle(SetStateRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var target = request.EntityMoniker ?? throw DataverseFault.InvalidArgument("Required field 'EntityMoniker' is missing.");
        var state = request.State ?? throw DataverseFault.InvalidArgument("Required field 'State' is missing.");
        var update = new Entity(target.LogicalName, target.Id) { ["statecode"] = state };

        // Status -1 is the SDK's way of asking for the state's default status.
        if (request.Status is { Value: not -1 } status)
        {
            update["statuscode"] = status;
        }

        await RecordWriter.UpdateAsync(update, ConcurrencyBehavior.Default, context, cancellationToken);
        return new SetStateResponse();
    }
}
