using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// Work the database ended to resolve a conflict with other work (PostgreSQL's deadlock victim, a serialization
/// failure) kept nothing, so it runs again, a few times, after a short random pause that lets the winner finish.
/// </summary>
public static class ConflictRetry
{
    /// <summary>Tries in all before the conflict reaches the caller as a fault.</summary>
    public const int MaxAttempts = 10;

    /// <summary>A random pause growing with the tries (up to ≈ 0.2 s), so conflicting retries fall out of step.</summary>
    public static Task PauseAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20) * attempt), cancellationToken);

    /// <summary>
    /// An upsert that found no record and then lost the insert to a concurrent create of the same id: run again, it
    /// finds the record and updates it, as Dataverse's upsert never reports a duplicate.
    /// </summary>
    internal static bool IsLostUpsertRace(OrganizationRequest request, Exception exception) =>
        request is UpsertRequest or UpsertMultipleRequest && exception is OrganizationServiceFaultException { ErrorCode: ErrorCodes.DuplicateRecord };
}
