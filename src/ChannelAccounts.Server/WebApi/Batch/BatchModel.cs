namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>One HTTP request inside a $batch: its request line, headers and body as sent, and its Content-ID if any.</summary>
public sealed record BatchOperation(string Method, string Url, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string? ContentId)
{
    public string? Header(string name) =>
        Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
}

/// <summary>A top-level part of a $batch: a lone request, or a change set whose requests succeed or fail together.</summary>
public abstract record BatchItem;

public sealed record SingleRequestItem(BatchOperation Operation) : BatchItem;

public sealed record ChangeSetItem(IReadOnlyList<BatchOperation> Operations) : BatchItem;

/// <summary>The answer to one inner request: status, headers and body, and the Content-ID it echoes.</summary>
/// <param name="EntityUri">The record a write answered for: its OData-EntityId, or the record of a 201 (which carries none).</param>
public sealed record BatchOperationResult(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string? ContentId,
    string? EntityUri = null)
{
    public bool Failed => StatusCode >= 400;
}

/// <summary>The answer to one top-level part: one result for a lone request, the results of a change set (or its failure).</summary>
public sealed record BatchItemResult(IReadOnlyList<BatchOperationResult> Results, bool IsChangeSet)
{
    public bool Failed => Results.Any(r => r.Failed);
}
