using System.Diagnostics;

namespace ChannelAccounts.Bench.Http;

/// <summary>Latency: one caller, one operation after another, for a fixed time after a warm-up; p50 and p99 in ms.</summary>
public static class LatencySampler
{
    public sealed record Latency(double P50, double P99, int Samples);

    public static async Task<Latency> RunAsync(Func<Task> operation, TimeSpan warmUp, TimeSpan duration, int maxSamples = 1_000_000)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < warmUp)
        {
            await operation();
        }
        var samples = new List<double>();
        clock.Restart();
        while (clock.Elapsed < duration && samples.Count < maxSamples)
        {
            var start = Stopwatch.GetTimestamp();
            await operation();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return Summarize(samples);
    }

    public static Latency Summarize(List<double> samples)
    {
        samples.Sort();
        return new Latency(Percentile(samples, 0.50), Percentile(samples, 0.99), samples.Count);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
