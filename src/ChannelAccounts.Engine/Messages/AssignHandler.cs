using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Assign is an update of ownerid: the same rules (Assign privilege, AssignAccess, the new owner can read).</summary>
public sealed class AssignHandler : MessageHandler<AssignRequest, AssignResponse>
{
    protected override async ValueTask<AssignResponse> Handle(AssignRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var target = request.Target ?? throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        var assignee = request.Assignee ?? throw DataverseFault.InvalidArgument("Required field 'Assignee' is missing.");
        await RecordWriter.UpdateAsync(new Entity(target.LogicalName, target.Id) { ["ownerid"] = assignee }, ConcurrencyBehavior.Default, context, cancellationToken);
        return new AssignResponse();
    }
}
