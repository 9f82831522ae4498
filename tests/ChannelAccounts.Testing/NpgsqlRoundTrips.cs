using System.Diagnostics;

namespace ChannelAccounts.Testing;

/// <summary>Counts the round trips some work makes to PostgreSQL: Npgsql's commands and batches, one activity each.</summary>
public static class NpgsqlRoundTrips
{
    /// <summary>The commands and batches Npgsql ran under an activity of this work alone (COMMIT is not one of them).</summary>
    public static async Task<int> CountAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var root = new Activity("round-trips").Start();
        var count = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.RootId == root.RootId)
                {
                    Interlocked.Increment(ref count);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await work();
        return count;
    }
}
