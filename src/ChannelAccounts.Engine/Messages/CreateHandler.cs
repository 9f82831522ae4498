using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

public sealed class CreateHandler : MessageHandler<CreateRequest, CreateResponse>
{
    protected override async ValueTask<CreateResponse> Handle(CreateRequest request, MessageContext context, CancellationToken cancellationToken) =>
        new() { id = await RecordWriter.CreateAsync(request.Target, context, cancellationToken) };
}
