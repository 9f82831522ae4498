namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// A message ran on a fact taken from the engine's cache instead of read first (the security stamp, the caller's
/// business unit), and the database, checking it in the same round trip as a later statement, holds something else:
/// what the message decided may rest on stale data, so its transaction rolls back and the engine runs it again the
/// plain way, reading everything first. Never reaches a caller.
/// </summary>
public abstract class StaleAssumptionException(string message) : Exception(message);
