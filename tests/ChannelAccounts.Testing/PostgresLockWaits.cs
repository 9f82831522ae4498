using ChannelAccounts.Engine.Storage;
using Npgsql;

namespace ChannelAccounts.Testing;

/// <summary>For tests that make a real lock conflict happen: waits until a transaction of the database waits for a lock.</summary>
public static class PostgresLockWaits
{
    /// <param name="connectionSpec">The store's "postgres:…" connection spec.</param>
    public static async Task UntilOneWaitsAsync(string connectionSpec, TimeSpan? timeout = null)
    {
        await using var connection = new NpgsqlConnection(connectionSpec[DataStore.PostgresPrefix.Length..]);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while ((long)(await waiting.ExecuteScalarAsync())! == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No transaction of the database started waiting for a lock.");
            }

            await Task.Delay(10);
        }
    }
}
