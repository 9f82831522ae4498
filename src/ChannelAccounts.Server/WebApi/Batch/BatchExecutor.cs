using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>
/// Runs the parts of a batch in order through the Web API dispatcher. A change set runs in one engine transaction
/// scope: its first failure rolls it all back and is its only result. Without continue-on-error the batch stops at
/// the first failed part. A part that meets a bug is a 500 part, never the whole batch's answer.
/// </summary>
public sealed class BatchExecutor(OrganizationEngine engine, Func<HttpContext, Task> dispatch)
{
    public async Task<IReadOnlyList<BatchItemResult>> RunAsync(HttpContext outer, string version, IReadOnlyList<BatchItem> items, bool continueOnError)
    {
        var results = new List<BatchItemResult>();
        foreach (var item in items)
        {
            var result = item switch
            {
                SingleRequestItem single => new BatchItemResult([await RunOneAsync(outer, version, single.Operation, null, null)], IsChangeSet: false),
                ChangeSetItem changeSet => await RunChangeSetAsync(outer, version, changeSet),
                _ => throw new InvalidOperationException($"Unknown batch part {item.GetType().Name}."),
            };
            results.Add(result);
            if (result.Failed && !continueOnError)
            {
                break;
            }
        }

        return results;
    }

    /// <summary>A change set the database ended to resolve a conflict with another transaction runs again, all of it (ConflictRetry).</summary>
    private async Task<BatchItemResult> RunChangeSetAsync(HttpContext outer, string version, ChangeSetItem changeSet)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (result, lostConflict) = await RunChangeSetOnceAsync(outer, version, changeSet);
            if (!lostConflict || attempt == ConflictRetry.MaxAttempts)
            {
                return result;
            }

            await ConflictRetry.PauseAsync(attempt, outer.RequestAborted);
        }
    }

    private async Task<(BatchItemResult Result, bool LostConflict)> RunChangeSetOnceAsync(HttpContext outer, string version, ChangeSetItem changeSet)
    {
        await using var scope = await engine.BeginScopeAsync(outer.RequestAborted);
        var resolver = new ContentIdResolver();
        var results = new List<BatchOperationResult>();
        foreach (var operation in changeSet.Operations)
        {
            var result = await RunOneAsync(outer, version, operation, resolver, scope);
            if (result.Failed)
            {
                return (new BatchItemResult([result], IsChangeSet: true), scope.LostConflict); // disposing the scope rolls the change set back
            }

            resolver.Record(operation.ContentId, result);
            results.Add(result);
        }

        try
        {
            await scope.CommitAsync(outer.RequestAborted);
        }
        catch (Sdk.Faults.OrganizationServiceFaultException fault) when (scope.LostConflict)
        {
            // The commit itself lost: the change set's answer is that fault, as for a part that failed.
            var inner = new DefaultHttpContext { RequestAborted = outer.RequestAborted };
            inner.Response.Body = new MemoryStream();
            await ErrorWriter.WriteAsync(inner, fault);
            return (new BatchItemResult([ResultOf(inner, changeSet.Operations.Count > 0 ? changeSet.Operations[^1].ContentId : null)], IsChangeSet: true), true);
        }

        return (new BatchItemResult(results, IsChangeSet: true), false);
    }

    private async Task<BatchOperationResult> RunOneAsync(HttpContext outer, string version, BatchOperation operation,
        ContentIdResolver? resolver, EngineTransactionScope? scope)
    {
        DefaultHttpContext inner;
        try
        {
            var url = resolver?.ResolveUrl(operation.Url) ?? operation.Url;
            var body = resolver?.ResolveBody(operation.Body) ?? operation.Body;
            inner = InnerRequestBuilder.Build(outer, version, operation, url, body);
        }
        catch (WebApiException error)
        {
            inner = new DefaultHttpContext { RequestAborted = outer.RequestAborted };
            inner.Response.Body = new MemoryStream();
            await ErrorWriter.WriteAsync(inner, error);
            return ResultOf(inner, operation.ContentId);
        }

        if (scope is not null)
        {
            inner.Items[WebApiContext.TransactionScopeKey] = scope;
        }

        try
        {
            await dispatch(inner);
        }
        catch (Exception error) when (!(error is OperationCanceledException && outer.RequestAborted.IsCancellationRequested))
        {
            // A bug met by one part is that part's 500 (its change set rolled back), reported like any failed part;
            // the batch's other parts, done or still to run, are reported as Dataverse reports them.
            await ErrorWriter.WriteUnexpectedAsync(inner, error, outer.RequestServices.GetRequiredService<ILogger<BatchExecutor>>());
        }

        return ResultOf(inner, operation.ContentId);
    }

    private static BatchOperationResult ResultOf(HttpContext inner, string? contentId)
    {
        var headers = inner.Response.Headers
            .SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v ?? "")))
            .ToList();
        var body = ((MemoryStream)inner.Response.Body).ToArray();
        var entityUri = inner.Items[WrittenRecord.ItemKey] as string
                        ?? headers.FirstOrDefault(h => h.Key.Equals("OData-EntityId", StringComparison.OrdinalIgnoreCase)).Value;
        return new BatchOperationResult(inner.Response.StatusCode, headers, body, contentId, entityUri);
    }
}
