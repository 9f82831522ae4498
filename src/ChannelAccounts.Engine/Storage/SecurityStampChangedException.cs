namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// A transaction ran on an assumed security stamp (IStoreTransaction.TryAssumeSecurityStamp) and the database holds
/// another one: what it did was decided with cached security data that may be out of date, so the message runs again
/// with the current stamp. Never reaches a caller.
/// </summary>
public sealed class SecurityStampChangedException(long currentStamp)
    : StaleAssumptionException("The security stamp changed while a message ran on the one seen before; the message runs again.")
{
    /// <summary>The stamp the database holds now.</summary>
    public long CurrentStamp => currentStamp;
}
