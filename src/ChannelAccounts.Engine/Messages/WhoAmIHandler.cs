using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

public sealed class WhoAmIHandler : MessageHandler<WhoAmIRequest, WhoAmIResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override ValueTask<WhoAmIResponse> Handle(WhoAmIRequest request, MessageContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new WhoAmIResponse
        {
            UserId = context.Caller.UserId,
            BusinessUnitId = context.Caller.BusinessUnitId,
            OrganizationId = context.OrganizationId,
        });
}
