using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>
/// Starts a bulk delete job: the caller needs prvBulkDelete, every query of QuerySet must name a table whose records
/// this server deletes, and the job must run once (a RecurrencePattern is refused, naming it). The deletes
/// themselves are BulkDeleteJob's, each in its own transaction, after this message.
/// </summary>
public sealed class BulkDeleteHandler : MessageHandler<BulkDeleteRequest, BulkDeleteResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<BulkDeleteResponse> Handle(BulkDeleteRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        if (request.QuerySet is not { Length: > 0 } queries)
        {
            throw DataverseFault.InvalidArgument("Required field 'QuerySet' is missing: BulkDelete needs at least one QueryExpression.");
        }
        if (!string.IsNullOrWhiteSpace(request.RecurrencePattern))
        {
            throw new OrganizationServiceFaultException(ErrorCodes.NotSupported,
                $"BulkDelete with RecurrencePattern '{request.RecurrencePattern}' is not supported by ChannelAccounts: its jobs run once, " +
                "at once. Send an empty RecurrencePattern, and send the request again when the job should run again.");
        }

        var caller = await context.Access.CallerAsync(cancellationToken);
        for (var i = 0; i < queries.Length; i++)
        {
            var query = queries[i] ?? throw DataverseFault.InvalidArgument($"QuerySet[{i}] is null.");
            var entity = RecordWriter.SupportedEntity(query.EntityName, context);
            if (!caller.HasPrivilege(SecurityCatalog.BulkDelete))
            {
                throw context.Access.PrivilegeDenied(caller, entity, SecurityCatalog.BulkDelete);
            }
        }

        return new BulkDeleteResponse { JobId = RecordIds.New() };
    }
}
