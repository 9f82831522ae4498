using System.Net;
using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Loading;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// Brings the freshly started server to its steady state before the first figure: tiered compilation recompiles
/// the hot paths only after many calls (several seconds on a loaded machine), and a server runs for hours, so the
/// figures are of the steady state. Retrieve, WhoAmI, the filtered page and a create take turns at the measured
/// concurrency; the creates are named "Warm-up …", outside every measured filter.
/// </summary>
public static class ServerWarmUp
{
    public static Task RunAsync(BenchContext bench)
    {
        var seconds = Math.Clamp(bench.Options.Seconds, 5, 15);
        var next = 0;
        return LoadDriver.RunAsync(bench.Client, () => (Interlocked.Increment(ref next) % 4) switch
        {
            0 => new HttpRequestMessage(HttpMethod.Get, bench.Url(
                $"{BenchContext.EntitySet}({AccountRows.IdOf(Random.Shared.Next(bench.Options.Rows))})?$select=msdyn_name,statecode,_ownerid_value")),
            1 => new HttpRequestMessage(HttpMethod.Get, bench.Url("WhoAmI")),
            2 => new HttpRequestMessage(HttpMethod.Get, bench.Url(BenchContext.EntitySet + "?" + QueryScenarios.Encode(QueryScenarios.FilterQuery))),
            _ => new HttpRequestMessage(HttpMethod.Post, bench.Url(BenchContext.EntitySet))
            {
                Content = new StringContent($"{{\"msdyn_name\":\"Warm-up {Guid.NewGuid():N}\"}}", System.Text.Encoding.UTF8, "application/json"),
            },
        }, HttpStatusCode.OK, bench.Options.Concurrency, TimeSpan.Zero, TimeSpan.FromSeconds(seconds));
    }
}
