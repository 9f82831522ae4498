using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Loading;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// `cpu sqlite|postgres ROWS SECONDS [STAGE|all] [CALLERS]`: the process CPU time per request of each stage (client, server and
/// database driver in this process; PostgreSQL's own work not included), which other load on the machine disturbs
/// far less than req/s. Stages: ceiling, ceiling-page (the filtered page's bytes from memory), root, whoami, retrieve, create, page (the filtered page of 50), engine-retrieve,
/// engine-page (the same page through the engine in process), raw-page (its SQL through ADO.NET), engine-create; all by default. CALLERS (16 by
/// default) run back to back; with 1, the figures also give the stage's latency of one caller (as the page figure of
/// the benchmark measures it), p50 in ms. BENCH_PAGE_QUERY replaces the page's query options (`%27` for a quote).
/// Attach dotnet-trace to the process (its id is printed) to see where a stage's CPU goes.
/// </summary>
public static class CpuProfile
{
    public const string Verb = "cpu";
    private const string Select = "?$select=msdyn_name,statecode,_ownerid_value";

    public static async Task<int> RunAsync(string provider, int rows, int seconds, string? only, int callers)
    {
        await using var database = await BenchDatabase.CreateAsync(provider);
        await using var store = BenchServer.Open(database.Spec);
        var organization = await BenchServer.PrepareAsync(store);
        await LoadProcess.RunChildAsync(database, rows);
        await using var server = await BenchServer.StartAsync(store, organization);
        using var client = BenchClient.Create(callers, server.Token);
        using var anonymous = BenchClient.Create(callers, token: null);
        using var sample = await client.GetAsync(new Uri(server.Api, $"{BenchContext.EntitySet}({AccountRows.IdOf(0)}){Select}"));
        var json = await sample.Content.ReadAsByteArrayAsync();
        await using var ceiling = await CeilingServer.StartAsync(json, sample.Content.Headers.ContentType!.ToString());
        var engine = await OrganizationEngine.CreateAsync(store);
        var pageQuery = Environment.GetEnvironmentVariable("BENCH_PAGE_QUERY") ?? QueryScenarios.FilterQuery;
        using var samplePage = await client.GetAsync(new Uri(server.Api, $"{BenchContext.EntitySet}?{pageQuery}"));
        await using var pageCeiling = await CeilingServer.StartAsync(await samplePage.Content.ReadAsByteArrayAsync(),
            samplePage.Content.Headers.ContentType!.ToString());
        var caller = CallerIdentity.User(organization.AdminUserId);
        var filteredPage = new ODataServices(store.Catalog).Translate(store.Catalog[MetadataCatalog.WhatsAppAccount],
            new QueryCollection(QueryHelpers.ParseQuery(pageQuery.Replace("%27", "'")))).Query;
        filteredPage.PageInfo.Count = filteredPage.TopCount ?? QueryContext.MaxPageSize;
        await using var rawPage = await RawSqlQuery.CompileAsync(store, database.ConnectionString, pageQuery.Replace("%27", "'"),
            organization.AdminUserId, organization.RootBusinessUnitId);
        Console.WriteLine($"pid {Environment.ProcessId}; {provider}, {rows:N0} rows, {seconds} s per stage, {callers} callers");

        var stages = new (string Name, Func<Task<bool>> Run)[]
        {
            ("ceiling", () => Http(client, () => new HttpRequestMessage(HttpMethod.Get, new Uri(ceiling.Root, "record")), HttpStatusCode.OK)),
            ("ceiling-page", () => Http(client, () => new HttpRequestMessage(HttpMethod.Get, new Uri(pageCeiling.Root, "record")), HttpStatusCode.OK)),
            ("root", () => Http(anonymous, () => new HttpRequestMessage(HttpMethod.Get, new Uri(server.Api, "/")), HttpStatusCode.OK)),
            ("whoami", () => Http(client, () => new HttpRequestMessage(HttpMethod.Get, new Uri(server.Api, "WhoAmI")), HttpStatusCode.OK)),
            ("retrieve", () => Http(client, () => new HttpRequestMessage(HttpMethod.Get,
                new Uri(server.Api, $"{BenchContext.EntitySet}({AccountRows.IdOf(Random.Shared.Next(rows))}){Select}")), HttpStatusCode.OK)),
            ("create", () => Http(client, () => Post(new Uri(server.Api, BenchContext.EntitySet)), HttpStatusCode.NoContent)),
            ("page", () => Http(client, () => new HttpRequestMessage(HttpMethod.Get,
                new Uri(server.Api, $"{BenchContext.EntitySet}?{pageQuery}")), HttpStatusCode.OK)),
            ("engine-retrieve", async () => ((RetrieveResponse)await engine.ExecuteAsync(new RetrieveRequest
            {
                Target = new EntityReference(MetadataCatalog.WhatsAppAccount, AccountRows.IdOf(Random.Shared.Next(rows))),
                ColumnSet = new ColumnSet("msdyn_name", "statecode", "ownerid", "versionnumber"),
            }, caller)).Entity is not null),
            ("engine-page", async () =>
            {
                // The filtered page's query as the Web API translates it, run through the engine (no HTTP, OData or JSON).
                return ((RetrieveMultipleResponse)await engine.ExecuteAsync(new RetrieveMultipleRequest { Query = filteredPage }, caller))
                    .EntityCollection.Entities.Count > 0;
            }),
            ("raw-page", async () => await rawPage.ExecuteAsync() > 0),
            ("engine-create", async () => ((CreateResponse)await engine.ExecuteAsync(new CreateRequest
            {
                Target = new Entity(MetadataCatalog.WhatsAppAccount)
                {
                    ["msdyn_name"] = $"Bench create {Random.Shared.Next(1_000_000):D6}",
                    ["msdyn_provideraccountid"] = $"AC{Guid.NewGuid():N}",
                },
            }, caller)).id != Guid.Empty),
        };

        foreach (var (name, run) in stages.Where(s => only is null || s.Name == only))
        {
            await LoadDriver.RunAsync(run, callers, TimeSpan.Zero, TimeSpan.FromSeconds(Math.Max(2, seconds / 2.0)));
            GC.Collect();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var result = await LoadDriver.RunAsync(run, callers, TimeSpan.Zero, TimeSpan.FromSeconds(seconds));
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var latency = callers == 1 ? $", p50 {(await LatencySampler.RunAsync(run, TimeSpan.Zero, TimeSpan.FromSeconds(2))).P50:0.000} ms" : "";
            Console.WriteLine($"{name,-16} {result.RequestsPerSecond,9:N0} req/s  {cpu.TotalMicroseconds / Math.Max(1, result.Ok),7:N1} µs CPU/request  " +
                $"({result.Ok:N0} ok, {result.Failed:N0} failed, {cpu.TotalSeconds / result.Seconds:0.00} CPUs{latency})");
        }

        return 0;
    }

    private static async Task<bool> Http(HttpClient client, Func<HttpRequestMessage> request, HttpStatusCode expected)
    {
        using var message = request();
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
        _ = await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == expected;
    }

    private static HttpRequestMessage Post(Uri url)
    {
        var body = $"{{\"msdyn_name\":\"Bench create {Random.Shared.Next(1_000_000):D6}\",\"msdyn_provideraccountid\":\"AC{Guid.NewGuid():N}\"}}";
        return new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
    }
}
