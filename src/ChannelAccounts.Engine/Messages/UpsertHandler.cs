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
        var target = request.Target ?? throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        if (Principals.PrincipalTables.IsManaged(target.LogicalName))
        {
            return await UpsertPrincipalAsync(target, context, cancellationToken);
        }

        var entity = RecordWriter.WritableEntity(target, context);
        var id = target.Id != Guid.Empty ? target.Id
            : target.GetAttributeValue<Guid?>(entity.PrimaryIdAttribute) ?? Guid.Empty;
        // Held until the message ends: a delete racing this upsert either waits for it or is seen to have removed the
        // record (then it is created), never lets the update find the record gone (a 404 from an upsert).
        var exists = id != Guid.Empty && await context.Transaction.RetrieveForUpdateAsync(entity, id, IdOnly, cancellationToken) is not null;
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

    private static async ValueTask<UpsertResponse> UpsertPrincipalAsync(Sdk.Entity target, MessageContext context, CancellationToken cancellationToken)
    {
        var entity = RecordWriter.KnownEntity(target.LogicalName, context);
        var exists = target.Id != Guid.Empty && await context.Transaction.RetrieveForUpdateAsync(entity, target.Id, IdOnly, cancellationToken) is not null;
        var id = target.Id;
        if (exists)
        {
            await Principals.PrincipalWriter.UpdateAsync(entity, target, ConcurrencyBehavior.Default, context, cancellationToken);
        }
        else
        {
            id = await Principals.PrincipalWriter.CreateAsync(entity, target, context, cancellationToken);
        }

        return new UpsertResponse { RecordCreated = !exists, Target = new(entity.LogicalName, id) };
    }
}
