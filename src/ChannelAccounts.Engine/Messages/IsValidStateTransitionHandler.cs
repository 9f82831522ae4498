using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>
/// Whether SetState would accept the state and status for the record (StateRules decides both). The caller needs
/// Read access to the record; a state name the table does not have is a 400 listing the names it has.
/// </summary>
public sealed class IsValidStateTransitionHandler : MessageHandler<IsValidStateTransitionRequest, IsValidStateTransitionResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<IsValidStateTransitionResponse> Handle(IsValidStateTransitionRequest request, MessageContext context,
        CancellationToken cancellationToken)
    {
        var target = request.Entity ?? throw DataverseFault.InvalidArgument("Required field 'Entity' is missing.");
        var entity = RecordWriter.SupportedEntity(target.LogicalName, context);
        var row = await context.Transaction.RetrieveAsync(entity, target.Id, AccessChecker.OwnershipColumns, cancellationToken)
            ?? throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        await context.Access.DemandAccessAsync(entity, RecordOwnership.From(target.Id, row), AccessRights.ReadAccess, cancellationToken);

        var state = StateRules.StateNamed(entity, request.NewState);
        return new() { IsValid = StateRules.IsValidPair(entity, state, request.NewStatus) };
    }
}
