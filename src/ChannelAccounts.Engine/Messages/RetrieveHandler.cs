using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Messages;

/// <summary>
/// One record by id, through the same query path as RetrieveMultiple so joins (names, $expand) and the read filter
/// agree. A record that exists but is not readable is a 403, not a 404.
/// </summary>
public sealed class RetrieveHandler : MessageHandler<RetrieveRequest, RetrieveResponse>
{
    private const string VersionNumber = "versionnumber";
    private static readonly string[] IdOnly = [];

    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<RetrieveResponse> Handle(RetrieveRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var target = request.Target ?? throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        var entity = RecordWriter.ReadableEntity(target.LogicalName, context);
        // Entity.RowVersion is always filled, as in Dataverse: versionnumber is read even when not asked for.
        var columns = request.ColumnSet;
        var hideVersion = !columns.AllColumns && !columns.Columns.Contains(VersionNumber) && entity.TryGetAttribute(VersionNumber, out _);
        var query = new QueryExpression(entity.LogicalName)
        {
            ColumnSet = hideVersion ? new ColumnSet([.. columns.Columns, VersionNumber]) : columns,
            TopCount = 1,
        };
        query.Criteria.AddCondition(entity.PrimaryIdAttribute, ConditionOperator.Equal, target.Id);
        query.LinkEntities.AddRange(request.LinkEntities);
        var security = await context.Access.RowFilterAsync(entity, cancellationToken);
        var linkSecurity = await context.Access.LinkFiltersAsync(query.LinkEntities, query.Criteria, cancellationToken);
        var page = await context.Transaction.QueryAsync(query, context.QueryContext with { RowSecurity = security, LinkSecurity = linkSecurity },
            cancellationToken);
        if (page.Rows.Count == 0)
        {
            if (security is not null && await context.Transaction.RetrieveAsync(entity, target.Id, IdOnly, cancellationToken) is not null)
            {
                throw AccessChecker.AccessDenied(context.Caller.UserId, entity, target.Id, AccessRights.ReadAccess);
            }

            throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        }

        var record = new EntityMapper(context.Catalog).ToEntity(entity, page.Rows[0], query.LinkEntities);
        if (hideVersion)
        {
            record.Attributes.Remove(VersionNumber);
        }

        var caller = await context.Access.CallerAsync(cancellationToken);
        ColumnSecurity.Apply(entity, caller, record);
        SecuredColumns.Reveal(entity, record, context.Secrets);
        if (query.LinkEntities.Count > 0)
        {
            SecuredColumns.RevealLinked(record, context.Catalog, caller.ReadsSecuredColumns, context.Secrets);
        }
        return new RetrieveResponse { Entity = record };
    }
}
