namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// A write took an owner's business unit as known (IStoreTransaction.TryAssumeBusinessUnit) and the owner's row, read
/// with its lock, names another unit: the owner was moved after the cache was filled, so a record written now would
/// sit in the wrong unit. The message runs again and reads the owner first. Never reaches a caller.
/// </summary>
public sealed class BusinessUnitMovedException(string principal, Guid id)
    : StaleAssumptionException($"The {principal} {id} is no longer in the business unit the message took from the cache; the message runs again.");
