namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// How a store transaction ends when no DbTransaction of its own ends it: a message's part of a transaction shared
/// with other messages (SQLite's group commit), where commit and rollback act on its own part and the shared
/// transaction is not its to close; or a SQLite read begun with prepared statements (SqliteReadTransaction).
/// </summary>
internal interface ISharedTransactionEnd : IAsyncDisposable
{
    /// <summary>Returns once this part is durable; throws if the shared transaction could not be committed.</summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}
