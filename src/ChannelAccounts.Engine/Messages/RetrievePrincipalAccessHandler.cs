using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>The rights a user or team has on a record from every source: ownership, role depth, shares.</summary>
public sealed class RetrievePrincipalAccessHandler : MessageHandler<RetrievePrincipalAccessRequest, RetrievePrincipalAccessResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<RetrievePrincipalAccessResponse> Handle(RetrievePrincipalAccessRequest request, MessageContext context,
        CancellationToken cancellationToken)
    {
        var (entity, record) = await RecordAccess.TargetAsync(request.Target, context, cancellationToken);
        await context.Access.DemandAccessAsync(entity, record, AccessRights.ReadAccess, cancellationToken);
        var principal = await RecordAccess.PrincipalAsync(request.Principal, context, cancellationToken);
        return new RetrievePrincipalAccessResponse { AccessRights = await context.Access.RightsAsync(principal, entity, record, cancellationToken) };
    }
}
