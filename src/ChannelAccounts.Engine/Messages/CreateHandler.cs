using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

public sealed class CreateHandler : MessageHandler<CreateRequest, CreateResponse>
{
    protected override async ValueTask<CreateResponse> Handle(CreateRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var entity = RecordWriter.KnownEntity(request.Target?.LogicalName, context);
        return new()
        {
            id = PrincipalTables.IsManaged(entity.LogicalName)
                ? await PrincipalWriter.CreateAsync(entity, request.Target!, context, cancellationToken)
                : await RecordWriter.CreateAsync(request.Target!, context, cancellationToken),
        };
    }
}
