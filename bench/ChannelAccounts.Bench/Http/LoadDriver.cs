using System.Diagnostics;
using System.Net;

namespace ChannelAccounts.Bench.Http;

/// <summary>Throughput: N workers run an operation back to back (HTTP over keep-alive, or in process) for a fixed time, after a warm-up.</summary>
public static class LoadDriver
{
    public sealed record Throughput(double RequestsPerSecond, long Ok, long Failed, double Seconds);

    public static Task<Throughput> RunAsync(HttpClient client, Func<HttpRequestMessage> request, HttpStatusCode expected,
        int concurrency, TimeSpan warmUp, TimeSpan duration) =>
        RunAsync(async () =>
        {
            using var message = request();
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
            _ = await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode == expected;
        }, concurrency, warmUp, duration);

    /// <summary>The operation returns whether it succeeded.</summary>
    public static async Task<Throughput> RunAsync(Func<Task<bool>> operation, int concurrency, TimeSpan warmUp, TimeSpan duration)
    {
        await RunForAsync(operation, concurrency, warmUp);
        return await RunForAsync(operation, concurrency, duration);
    }

    private static async Task<Throughput> RunForAsync(Func<Task<bool>> operation, int concurrency, TimeSpan duration)
    {
        long ok = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                Interlocked.Increment(ref await operation() ? ref ok : ref failed);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Throughput(ok / seconds, ok, failed, seconds);
    }
}
