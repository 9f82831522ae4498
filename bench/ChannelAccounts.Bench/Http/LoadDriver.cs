using System.Diagnostics;
using System.Net;

namespace ChannelAccounts.Bench.Http;

/// <summary>Throughput: N workers send requests back to back over keep-alive for a fixed time, after a warm-up.</summary>
public static class LoadDriver
{
    public sealed record Throughput(double RequestsPerSecond, long Ok, long Failed, double Seconds);

    public static async Task<Throughput> RunAsync(HttpClient client, Func<HttpRequestMessage> request, HttpStatusCode expected,
        int concurrency, TimeSpan warmUp, TimeSpan duration)
    {
        await RunForAsync(client, request, expected, concurrency, warmUp);
        return await RunForAsync(client, request, expected, concurrency, duration);
    }

    private static async Task<Throughput> RunForAsync(HttpClient client, Func<HttpRequestMessage> request, HttpStatusCode expected,
        int concurrency, TimeSpan duration)
    {
        long ok = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                using var message = request();
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
                _ = await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref response.StatusCode == expected ? ref ok : ref failed);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Throughput(ok / seconds, ok, failed, seconds);
    }
}
