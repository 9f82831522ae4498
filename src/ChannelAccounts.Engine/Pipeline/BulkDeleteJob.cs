using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// The work of a BulkDelete job, once BulkDeleteHandler has started it: each query is read page by page (ids only,
/// keyset paging, as the caller sees the records) and every record it returns is deleted by a Delete message of its
/// own, as the caller would delete it alone (its Delete right, its cascades). A record that cannot be deleted is
/// counted and left; the others go. Dataverse runs the job in the background; here it has run when the response
/// comes, so a client that waits for the job finds it done.
/// </summary>
internal static class BulkDeleteJob
{
    public const string MessageName = "BulkDelete";

    /// <summary>Ids read per page of a query.</summary>
    private const int PageSize = 5_000;

    public static async Task RunAsync(OrganizationEngine engine, OrganizationRequest request, BulkDeleteResponse started, CallerIdentity caller)
    {
        var queries = (request.Parameters.GetValueOrDefault(nameof(BulkDeleteRequest.QuerySet)) as IEnumerable<QueryExpression> ?? []).ToList();
        foreach (var query in queries)
        {
            // Every query is run once before anything is deleted: a column or operator it cannot use is the
            // request's fault, answered before the job has removed what an earlier query matched.
            var probe = IdsOf(engine, query);
            probe.PageInfo = new PagingInfo { Count = 1 };
            probe.TopCount = null;
            await engine.ExecuteAsync(new RetrieveMultipleRequest { Query = probe }, caller);
        }

        foreach (var query in queries)
        {
            var ids = IdsOf(engine, query);
            string? cookie = null;
            for (var page = 1; ; page++)
            {
                if (ids.TopCount is null)
                {
                    ids.PageInfo = new PagingInfo { Count = PageSize, PageNumber = page, PagingCookie = cookie };
                }

                // The job goes on when the client stops waiting, as a system job does: no cancellation token.
                var found = ((RetrieveMultipleResponse)await engine.ExecuteAsync(new RetrieveMultipleRequest { Query = ids }, caller)).EntityCollection;
                foreach (var record in found.Entities)
                {
                    try
                    {
                        await engine.ExecuteAsync(new DeleteRequest { Target = new EntityReference(query.EntityName, record.Id) }, caller);
                        started.SuccessCount++;
                    }
                    catch (OrganizationServiceFaultException)
                    {
                        started.FailureCount++;
                    }
                }

                if (ids.TopCount is not null || !found.MoreRecords)
                {
                    break;
                }
                cookie = found.PagingCookie;
            }
        }
    }

    /// <summary>The query as given, reading the primary id alone (the caller's own QueryExpression is left as it was).</summary>
    private static QueryExpression IdsOf(OrganizationEngine engine, QueryExpression query)
    {
        var ids = new QueryExpression(query.EntityName)
        {
            ColumnSet = new ColumnSet(engine.Catalog[query.EntityName].PrimaryIdAttribute),
            Criteria = query.Criteria,
            TopCount = query.TopCount,
            Distinct = query.Distinct,
            NoLock = query.NoLock,
        };
        ids.Orders.AddRange(query.Orders);
        ids.LinkEntities.AddRange(query.LinkEntities);
        return ids;
    }
}
