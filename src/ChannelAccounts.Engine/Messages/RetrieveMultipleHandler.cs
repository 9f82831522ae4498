using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query.Aggregates;
using ChannelAccounts.Engine.Query.FetchXml;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Messages;

/// <summary>A page of records for a QueryExpression (OData queries arrive here already translated).</summary>
public sealed class RetrieveMultipleHandler : MessageHandler<RetrieveMultipleRequest, RetrieveMultipleResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<RetrieveMultipleResponse> Handle(RetrieveMultipleRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var parsed = request.Query is FetchExpression fetch ? FetchXmlParser.Parse(fetch.Query) : null;
        if ((parsed?.Aggregate ?? request.Query as AggregateQuery) is { } aggregate)
        {
            return await AggregateAsync(aggregate, context, cancellationToken);
        }

        if ((parsed?.Query ?? (request.Query is QueryByAttribute byAttribute ? byAttribute.ToQueryExpression() : request.Query as QueryExpression)) is not { } query)
        {
            throw DataverseFault.UnsupportedRequest($"RetrieveMultiple with a {request.Query?.GetType().Name ?? "missing"} query");
        }

        var entity = RecordWriter.ReadableEntity(query.EntityName, context);
        if (DistinctValues.AsGrouping(query, entity) is { } grouping)
        {
            return await DistinctValuesAsync(entity, grouping, parsed?.ColumnAliases, context, cancellationToken);
        }

        SecuredColumns.DemandNotQueried(entity, query, context.Catalog);
        // The read filter is part of the SQL, so counts and pages hold only rows the caller may read.
        var security = await context.Access.RowFilterAsync(entity, cancellationToken);
        var linkSecurity = await context.Access.LinkFiltersAsync(query.LinkEntities, query.Criteria, cancellationToken);
        var page = await context.Transaction.QueryAsync(query, context.QueryContext with { RowSecurity = security, LinkSecurity = linkSecurity },
            cancellationToken);
        var caller = await context.Access.CallerAsync(cancellationToken);
        var mapper = new EntityMapper(context.Catalog);
        var entities = new List<Entity>(page.Rows.Count);
        foreach (var row in page.Rows)
        {
            var record = mapper.ToEntity(entity, row, query.LinkEntities);
            ColumnSecurity.Apply(entity, caller, record);
            SecuredColumns.Reveal(entity, record, context.Secrets);
            if (query.LinkEntities.Count > 0)
            {
                SecuredColumns.RevealLinked(record, context.Catalog, caller.ReadsSecuredColumns, context.Secrets);
            }
            // Last, so secured columns are read (or hidden) by their own names first.
            parsed?.ColumnAliases?.Apply(record, entity.PrimaryIdAttribute);
            entities.Add(record);
        }

        return new RetrieveMultipleResponse
        {
            EntityCollection = new EntityCollection(entities)
            {
                EntityName = entity.LogicalName,
                MoreRecords = page.MoreRecords,
                PagingCookie = page.PagingCookie,
                TotalRecordCount = page.TotalRecordCount,
                TotalRecordCountLimitExceeded = page.TotalRecordCountLimitExceeded,
            },
        };
    }

    /// <summary>Each distinct combination of the asked columns once, as a record without an id (DistinctValues).</summary>
    private static async ValueTask<RetrieveMultipleResponse> DistinctValuesAsync(EntityDefinition entity, AggregateQuery grouping,
        FetchColumnAliases? aliases, MessageContext context, CancellationToken cancellationToken)
    {
        var mapper = new EntityMapper(context.Catalog);
        var entities = new List<Entity>();
        foreach (var group in await GroupsAsync(entity, grouping, context, cancellationToken))
        {
            var record = mapper.ToEntity(entity, DistinctValues.ToRow(grouping, group));
            aliases?.Apply(record, entity.PrimaryIdAttribute);
            entities.Add(record);
        }

        return new RetrieveMultipleResponse { EntityCollection = new EntityCollection(entities) { EntityName = entity.LogicalName } };
    }

    /// <summary>Groups and aggregates of readable rows: each row an Entity whose attributes are the aliases.</summary>
    private static async ValueTask<RetrieveMultipleResponse> AggregateAsync(AggregateQuery aggregate, MessageContext context,
        CancellationToken cancellationToken)
    {
        var entity = RecordWriter.ReadableEntity(aggregate.EntityName, context);
        var rows = await GroupsAsync(entity, aggregate, context, cancellationToken);
        var entities = rows.Select(row => AggregateRecords.ToEntity(entity, aggregate, row, context.Catalog)).ToList();
        return new RetrieveMultipleResponse { EntityCollection = new EntityCollection(entities) { EntityName = entity.LogicalName } };
    }

    /// <summary>The groups of readable rows: secured columns are neither grouped nor aggregated, and row security applies.</summary>
    private static async ValueTask<IReadOnlyList<StoredRow>> GroupsAsync(EntityDefinition entity, AggregateQuery aggregate, MessageContext context,
        CancellationToken cancellationToken)
    {
        foreach (var table in aggregate.Columns.GroupBy(c => c.LinkAlias))
        {
            if (context.Catalog.TryGetByLogicalName(aggregate.TableOf(table.Key), out var grouped))
            {
                SecuredColumns.DemandNotAggregated(grouped, table.Select(c => c.Column));
            }
        }

        var check = new QueryExpression(entity.LogicalName) { Criteria = aggregate.Criteria };
        check.LinkEntities.AddRange(aggregate.LinkEntities);
        SecuredColumns.DemandNotQueried(entity, check, context.Catalog);
        var security = await context.Access.RowFilterAsync(entity, cancellationToken);
        var linkSecurity = await context.Access.LinkFiltersAsync(aggregate.LinkEntities, aggregate.Criteria, cancellationToken);
        return await context.Transaction.AggregateAsync(aggregate, context.QueryContext with { RowSecurity = security, LinkSecurity = linkSecurity },
            cancellationToken);
    }
}
