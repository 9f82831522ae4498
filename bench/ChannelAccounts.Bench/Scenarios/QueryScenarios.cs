using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Reporting;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// A filtered page of 50 (p50/p99 beside the same SQL run directly) and the keyset walk (page 1 against page
/// 10,000 of a maxpagesize=50 walk). Latencies come from one caller, one request after another.
/// </summary>
public static class QueryScenarios
{
    public const string FilterQuery =
        "$select=msdyn_name,statecode,_ownerid_value&$filter=statecode eq 0 and startswith(msdyn_name,'Acme 12')&$orderby=msdyn_name&$top=50";

    private const string WalkQuery = "$select=msdyn_name&$orderby=msdyn_name";
    private const int WalkPageSize = 50;
    private const int DeepPage = 10_000;

    public static async Task RunFilteredPageAsync(BenchContext bench)
    {
        var url = bench.Url(BenchContext.EntitySet + "?" + Encode(FilterQuery));
        await using var raw = await RawSqlQuery.CompileAsync(bench.Store, bench.Database.ConnectionString, FilterQuery,
            bench.Organization.AdminUserId, bench.Organization.RootBusinessUnitId);
        var rawRows = await raw.ExecuteAsync();
        var page = await GetJsonAsync(bench.Client, url, null);
        var httpRows = page.RootElement.GetProperty("value").GetArrayLength();
        bench.Result.Listings.Add(("Filtered page: SQL from the engine's compiler (parameters: " +
            string.Join(", ", raw.ParameterValues.Select(v => v?.ToString() ?? "null")) + ")", raw.Sql));
        bench.Result.Listings.Add(("Filtered page: query plan", await raw.ExplainAsync()));

        var http = await bench.PhaseAsync("Filtered page (server)", () => LatencySampler.RunAsync(async () =>
        {
            using var response = await bench.Client.GetAsync(url);
            _ = await response.Content.ReadAsByteArrayAsync();
            Expect(response, HttpStatusCode.OK);
        }, bench.WarmUp, bench.Duration));
        var sql = await LatencySampler.RunAsync(() => raw.ExecuteAsync(), bench.WarmUp, bench.Duration);
        var note = $"HTTP {httpRows} rows, raw SQL {rawRows} rows; samples {http.Samples:N0} / {sql.Samples:N0}";
        bench.Result.Figures.Add(new Figure("Filtered page of 50, p50", http.P50, "ms", "same SQL via ADO.NET, p50", sql.P50, false, 2.0, note));
        bench.Result.Figures.Add(new Figure("Filtered page of 50, p99", http.P99, "ms", "same SQL via ADO.NET, p99", sql.P99, false, 2.0, note));
    }

    public static async Task RunKeysetWalkAsync(BenchContext bench)
    {
        var depth = Math.Min(DeepPage, Math.Max(2, bench.Options.Rows / WalkPageSize / 2));
        var first = bench.Url(BenchContext.EntitySet + "?" + Encode(WalkQuery));
        var (deepLink, walkSeconds) = await WalkAsync(bench.Client, first, depth);
        bench.Result.Notes.Add($"Keyset walk: followed @odata.nextLink {depth - 1:N0} times with odata.maxpagesize={WalkPageSize} " +
            $"to page {depth:N0} (rows {(long)(depth - 1) * WalkPageSize + 1:N0}–{(long)depth * WalkPageSize:N0}) in {walkSeconds:0.0} s " +
            $"({walkSeconds * 1000 / (depth - 1):0.00} ms per page on average, walk included).");

        var (pageOne, pageDeep) = await bench.PhaseAsync("Keyset pages (server)", async () =>
        {
            var one = new List<double>();
            var deep = new List<double>();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < bench.WarmUp)
            {
                await TimeAsync(bench.Client, first);
                await TimeAsync(bench.Client, deepLink);
            }
            clock.Restart();
            while (clock.Elapsed < bench.Duration)
            {
                one.Add(await TimeAsync(bench.Client, first));
                deep.Add(await TimeAsync(bench.Client, deepLink));
            }
            return (LatencySampler.Summarize(one), LatencySampler.Summarize(deep));
        });
        bench.Result.Figures.Add(new Figure($"Keyset page {depth:N0} of 50, p50", pageDeep.P50, "ms", "page 1 of 50, p50", pageOne.P50, false, 1.5,
            $"{pageOne.Samples:N0} repetitions each, alternating; p99 page 1 {pageOne.P99:0.00} ms, page {depth:N0} {pageDeep.P99:0.00} ms"));
    }

    /// <summary>Follows nextLink from the first page until the link of page `depth` is in hand (a link the server issued there).</summary>
    private static async Task<(Uri Link, double Seconds)> WalkAsync(HttpClient client, Uri first, int depth)
    {
        var clock = Stopwatch.StartNew();
        var link = first;
        for (var page = 1; page < depth; page++)
        {
            using var json = await GetJsonAsync(client, link, WalkPageSize);
            link = new Uri(json.RootElement.GetProperty("@odata.nextLink").GetString()!);
        }
        return (link, clock.Elapsed.TotalSeconds);
    }

    private static async Task<double> TimeAsync(HttpClient client, Uri url)
    {
        var start = Stopwatch.GetTimestamp();
        using var request = PageRequest(url, WalkPageSize);
        using var response = await client.SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        Expect(response, HttpStatusCode.OK);
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, Uri url, int? maxPageSize)
    {
        using var request = PageRequest(url, maxPageSize);
        using var response = await client.SendAsync(request);
        Expect(response, HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    private static HttpRequestMessage PageRequest(Uri url, int? maxPageSize)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (maxPageSize is { } size)
        {
            request.Headers.Add("Prefer", $"odata.maxpagesize={size}");
        }
        return request;
    }

    private static void Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)status}.");
        }
    }

    internal static string Encode(string query) => string.Join('&', query.Split('&').Select(pair =>
    {
        var equals = pair.IndexOf('=');
        return pair[..equals] + "=" + Uri.EscapeDataString(pair[(equals + 1)..]);
    }));
}
