using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Updates the record when its id exists, else creates it with that id.</summary>
public sealed class UpsertHandler : MessageHandler<UpsertRequest, UpsertResponse>
{
    private static readonly string[] IdOnly = [];

    protected override async ValueTask<UpsertResponse> Handle(UpsertRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var target = request.Target;
        var entity = RecordWriter.WritableEntity(target, context);
        var id = target.Id != Guid.Empty ? target.Id
            : target.GetAttributeValue<Guid?>(entity.PrimaryIdAttribute) ?? Guid.Empty;
        var exists = id != Guid.Empty && await context.Transaction.RetrieveAsync(entity, id, IdOnly, cancellationToken) is not null;
        if (exists)
        {
            await RecordWriter.UpdateAsync(target, ConcurrencyBehavior.Default, context, cancellationToken);
        }
        else
        {
            id = await RecordWriter.CreateAsync(target, context, cancellationToken);
        }

        return new UpsertResponse { RecordCreated = !exists, Target = new(entity.LogicalName, id) };
    }
}
