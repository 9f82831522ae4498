namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// How a store transaction ends when its database transaction is shared with other messages (SQLite's group
/// commit): commit and rollback act on its own part, and the shared transaction and connection are not its to close.
/// </summary>
internal interface ISharedTransactionEnd : IAsyncDisposable
{
    /// <summary>Returns once this part is durable; throws if the shared transaction could not be committed.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
