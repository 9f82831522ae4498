using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>The explicit shares of a record: who it was shared with and which rights.</summary>
public sealed class RetrieveSharedPrincipalsAndAccessHandler : MessageHandler<RetrieveSharedPrincipalsAndAccessRequest, RetrieveSharedPrincipalsAndAccessResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<RetrieveSharedPrincipalsAndAccessResponse> Handle(RetrieveSharedPrincipalsAndAccessRequest request,
        MessageContext context, CancellationToken cancellationToken)
    {
        var (entity, record) = await RecordAccess.TargetAsync(request.Target, context, cancellationToken);
        await context.Access.DemandAccessAsync(entity, record, AccessRights.ReadAccess, cancellationToken);
        var shares = await new SharingStore(context).ForRecordAsync(record.Id, cancellationToken);
        return new RetrieveSharedPrincipalsAndAccessResponse { PrincipalAccesses = shares.ToArray() };
    }
}
