using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Removes a principal's share of a record (its ownership and role rights stay).</summary>
public sealed class RevokeAccessHandler : MessageHandler<RevokeAccessRequest, RevokeAccessResponse>
{
    protected override async ValueTask<RevokeAccessResponse> Handle(RevokeAccessRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var (entity, record) = await RecordAccess.TargetAsync(request.Target, context, cancellationToken);
        await context.Access.DemandAccessAsync(entity, record, AccessRights.ShareAccess, cancellationToken);
        var revokee = request.Revokee ?? throw DataverseFault.InvalidArgument("Required field 'Revokee' is missing.");
        // As GrantAccess: a revokee is a systemuser or a team that exists, even when it holds no share to remove.
        await RecordAccess.PrincipalAsync(revokee, context, cancellationToken);
        await new SharingStore(context).RevokeAsync(record.Id, revokee.Id, cancellationToken);
        return new RevokeAccessResponse();
    }
}
