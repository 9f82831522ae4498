using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Shares a record: the principal's existing share gains the new rights.</summary>
public sealed class GrantAccessHandler : MessageHandler<GrantAccessRequest, GrantAccessResponse>
{
    protected override async ValueTask<GrantAccessResponse> Handle(GrantAccessRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var (entity, record) = await RecordAccess.TargetAsync(request.Target, context, cancellationToken);
        await context.Access.DemandAccessAsync(entity, record, AccessRights.ShareAccess, cancellationToken);
        var access = request.PrincipalAccess ?? throw DataverseFault.InvalidArgument("Required field 'PrincipalAccess' is missing.");
        await RecordAccess.SharePrincipalAsync(access.Principal, context, cancellationToken);
        await new SharingStore(context).SetAsync(entity, record.Id, access.Principal, SharingStore.Validate(access.AccessMask), combine: true, cancellationToken);
        return new GrantAccessResponse();
    }
}
