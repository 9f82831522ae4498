using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Replaces the rights a principal's share gives on a record.</summary>
public sealed class ModifyAccessHandler : MessageHandler<ModifyAccessRequest, ModifyAccessResponse>
{
    protected override async ValueTask<ModifyAccessResponse> Handle(ModifyAccessRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var (entity, record) = await RecordAccess.TargetAsync(request.Target, context, cancellationToken);
        await context.Access.DemandAccessAsync(entity, record, AccessRights.ShareAccess, cancellationToken);
        var access = request.PrincipalAccess ?? throw DataverseFault.InvalidArgument("Required field 'PrincipalAccess' is missing.");
        await RecordAccess.SharePrincipalAsync(access.Principal, context, cancellationToken);
        await new SharingStore(context).SetAsync(entity, record.Id, access.Principal, SharingStore.Validate(access.AccessMask), combine: false, cancellationToken);
        return new ModifyAccessResponse();
    }
}
