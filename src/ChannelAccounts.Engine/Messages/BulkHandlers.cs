using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>CreateMultiple: every target created, or none.</summary>
public sealed class CreateMultipleHandler : MessageHandler<CreateMultipleRequest, CreateMultipleResponse>
{
    protected override async ValueTask<CreateMultipleResponse> Handle(CreateMultipleRequest request, MessageContext context, CancellationToken cancellationToken) =>
        new() { Ids = await BulkWriter.CreateAsync(BulkWriter.Targets(request.Targets, "CreateMultiple", context), context, cancellationToken) };
}

/// <summary>UpdateMultiple: every target updated, or none.</summary>
public sealed class UpdateMultipleHandler : MessageHandler<UpdateMultipleRequest, UpdateMultipleResponse>
{
    protected override async ValueTask<UpdateMultipleResponse> Handle(UpdateMultipleRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        await BulkWriter.UpdateAsync(BulkWriter.Targets(request.Targets, "UpdateMultiple", context), context, cancellationToken);
        return new UpdateMultipleResponse();
    }
}

/// <summary>UpsertMultiple: every target updated or created, or none.</summary>
public sealed class UpsertMultipleHandler : MessageHandler<UpsertMultipleRequest, UpsertMultipleResponse>
{
    protected override async ValueTask<UpsertMultipleResponse> Handle(UpsertMultipleRequest request, MessageContext context, CancellationToken cancellationToken) =>
        new() { Results = await BulkWriter.UpsertAsync(BulkWriter.Targets(request.Targets, "UpsertMultiple", context), context, cancellationToken) };
}
