using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>
/// Starts a bulk delete job: the caller needs prvBulkDelete, every query of QuerySet must name a table whose records
/// this server deletes, and the job must run once and now (a RecurrencePattern or a StartDateTime ahead of now is
/// refused, naming it). The deletes themselves are BulkDeleteJob's, each in its own transaction, after this message.
/// </summary>
public sealed class BulkDeleteHandler : MessageHandler<BulkDeleteRequest, BulkDeleteResponse>
{
    /// <summary>How far StartDateTime may lie ahead of this server's clock and still mean "now".</summary>
    internal static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

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

        // A client's "now" may run a little ahead of this server's clock; a job meant for later would be a schedule.
        if (request.StartDateTime.ToUniversalTime() > context.UtcNow + ClockSkew)
        {
            throw new OrganizationServiceFaultException(ErrorCodes.NotSupported,
                $"BulkDelete with StartDateTime {request.StartDateTime.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} is not supported by ChannelAccounts: " +
                "its jobs run at once and cannot be scheduled. Send the request when the job should run, with StartDateTime now or earlier (or none).");
        }

        // prvBulkDelete is one privilege, not one per table: checked once, after the first query's table (which the
        // fault names) and before the others'.
        var first = Table(queries, 0, context);
        var caller = await context.Access.CallerAsync(cancellationToken);
        if (!caller.HasPrivilege(SecurityCatalog.BulkDelete))
        {
            throw context.Access.PrivilegeDenied(caller, first, SecurityCatalog.BulkDelete);
        }
        for (var i = 1; i < queries.Length; i++)
        {
            Table(queries, i, context);
        }

        return new BulkDeleteResponse { JobId = RecordIds.New() };
    }

    private static Metadata.EntityDefinition Table(Sdk.Query.QueryExpression[] queries, int index, MessageContext context) =>
        RecordWriter.SupportedEntity((queries[index] ?? throw DataverseFault.InvalidArgument($"QuerySet[{index}] is null.")).EntityName, context);
}
