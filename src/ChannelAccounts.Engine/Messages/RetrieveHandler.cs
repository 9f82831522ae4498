using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Messages;

/// <summary>One record by id, through the same query path as RetrieveMultiple so joins (names, $expand) agree.</summary>
public sealed class RetrieveHandler : MessageHandler<RetrieveRequest, RetrieveResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<RetrieveResponse> Handle(RetrieveRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var target = request.Target ?? throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        var entity = RecordWriter.SupportedEntity(target.LogicalName, context);
        var query = new QueryExpression(entity.LogicalName) { ColumnSet = request.ColumnSet, TopCount = 1 };
        query.Criteria.AddCondition(entity.PrimaryIdAttribute, ConditionOperator.Equal, target.Id);
        query.LinkEntities.AddRange(request.LinkEntities);
        var page = await context.Transaction.QueryAsync(query, context.QueryContext, cancellationToken);
        if (page.Rows.Count == 0)
        {
            throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        }

        return new RetrieveResponse { Entity = new EntityMapper(context.Catalog).ToEntity(entity, page.Rows[0], query.LinkEntities) };
    }
}
