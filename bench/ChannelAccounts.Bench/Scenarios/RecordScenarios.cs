using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Loading;
using ChannelAccounts.Bench.Reporting;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// Retrieve by id and Create, in req/s at the fixed concurrency, each beside the plain-Kestrel ceiling and beside its
/// statement run alone on the database (RawRecordStatements).
/// </summary>
public static class RecordScenarios
{
    private const string Select = "?$select=msdyn_name,statecode,_ownerid_value";

    public static async Task RunAsync(BenchContext bench)
    {
        var options = bench.Options;
        using var sample = await bench.Client.GetAsync(bench.Url($"{BenchContext.EntitySet}({AccountRows.IdOf(0)}){Select}"));
        sample.EnsureSuccessStatusCode();
        var json = await sample.Content.ReadAsByteArrayAsync();
        await using var ceiling = await CeilingServer.StartAsync(json, sample.Content.Headers.ContentType!.ToString());
        bench.Result.Listings.Add(("Retrieve response (the ceiling serves these bytes)", Encoding.UTF8.GetString(json)));

        var retrieve = await bench.PhaseAsync("Retrieve by id (server)", () => LoadDriver.RunAsync(bench.Client,
            () => new HttpRequestMessage(HttpMethod.Get, bench.Url($"{BenchContext.EntitySet}({AccountRows.IdOf(Random.Shared.Next(options.Rows))}){Select}")),
            HttpStatusCode.OK, options.Concurrency, bench.WarmUp, bench.Duration));
        var retrieveCeiling = await LoadDriver.RunAsync(bench.Client,
            () => new HttpRequestMessage(HttpMethod.Get, new Uri(ceiling.Root, "record")),
            HttpStatusCode.OK, options.Concurrency, bench.WarmUp, bench.Duration);
        bench.Result.Figures.Add(new Figure("Retrieve by id", retrieve.RequestsPerSecond, "req/s", "plain Kestrel, same JSON bytes",
            retrieveCeiling.RequestsPerSecond, true, 0.60, Failures(retrieve, retrieveCeiling)));
        var retrieveAlone = await RawRecordStatements.RetrieveAsync(bench);
        bench.Result.Statements.Add(new StatementAlone("Retrieve by id", "req/s", retrieve.RequestsPerSecond, retrieveCeiling.RequestsPerSecond,
            "the SELECT by id, one connection per caller", retrieveAlone.RequestsPerSecond, 0.60));

        await DiagnoseAsync(bench);

        var create = await bench.PhaseAsync("Create (server)", () => LoadDriver.RunAsync(bench.Client,
            () => Post(bench.Url(BenchContext.EntitySet)), HttpStatusCode.NoContent, options.Concurrency, bench.WarmUp, bench.Duration));
        var createCeiling = await LoadDriver.RunAsync(bench.Client,
            () => Post(new Uri(ceiling.Root, "create")), HttpStatusCode.NoContent, options.Concurrency, bench.WarmUp, bench.Duration);
        bench.Result.Figures.Add(new Figure("Create", create.RequestsPerSecond, "req/s", "plain Kestrel, reads body, 204",
            createCeiling.RequestsPerSecond, true, 0.40, Failures(create, createCeiling)));
        var createAlone = await RawRecordStatements.CreateAsync(bench);
        bench.Result.Statements.Add(new StatementAlone("Create", "req/s", create.RequestsPerSecond, createCeiling.RequestsPerSecond,
            bench.Store.Provider == "sqlite"
                ? "the INSERT, one row per transaction, one at a time (SQLite's one writer)"
                : "the INSERT, one row per transaction, one connection per caller",
            createAlone.RequestsPerSecond, 0.40));
        var (grouped, split) = await RawRecordStatements.CreateGroupedBestAsync(bench);
        bench.Result.Statements.Add(new StatementAlone("Create", "rows/s", create.RequestsPerSecond, createCeiling.RequestsPerSecond,
            $"the INSERT of the {options.Concurrency} callers' rows gathered into multi-row statements, each its own transaction " +
            $"(the most a group commit could gather); best of {split}", grouped, 0.40));
    }

    /// <summary>
    /// Where a request's time goes, for the report (no target): the server's own unauthenticated root ("/", Kestrel
    /// and routing only), WhoAmI (plus bearer validation and the engine pipeline with its caller lookup), and the same
    /// Retrieve run on the engine in process (transaction, caller lookup, query; no HTTP, OData or JSON).
    /// </summary>
    private static async Task DiagnoseAsync(BenchContext bench)
    {
        var root = new Uri(bench.Server.Api, "/");
        using var anonymous = BenchClient.Create(bench.Options.Concurrency, token: null);
        var plain = await LoadDriver.RunAsync(anonymous, () => new HttpRequestMessage(HttpMethod.Get, root),
            HttpStatusCode.OK, bench.Options.Concurrency, bench.WarmUp, bench.Duration);
        var whoAmI = await LoadDriver.RunAsync(bench.Client, () => new HttpRequestMessage(HttpMethod.Get, bench.Url("WhoAmI")),
            HttpStatusCode.OK, bench.Options.Concurrency, bench.WarmUp, bench.Duration);
        var engine = await OrganizationEngine.CreateAsync(bench.Store);
        var caller = CallerIdentity.User(bench.Organization.AdminUserId);
        var engineRetrieve = await LoadDriver.RunAsync(async () =>
        {
            var response = (RetrieveResponse)await engine.ExecuteAsync(new RetrieveRequest
            {
                Target = new EntityReference(MetadataCatalog.WhatsAppAccount, AccountRows.IdOf(Random.Shared.Next(bench.Options.Rows))),
                ColumnSet = new ColumnSet("msdyn_name", "statecode", "ownerid", "versionnumber"),
            }, caller);
            return response.Entity is not null;
        }, bench.Options.Concurrency, bench.WarmUp, bench.Duration);
        bench.Result.Notes.Add($"Diagnosis (no target), same concurrency: the server's GET / without a token {plain.RequestsPerSecond:N0} req/s; " +
            $"GET WhoAmI (bearer validation + engine pipeline) {whoAmI.RequestsPerSecond:N0} req/s; the same Retrieve through " +
            $"OrganizationEngine.ExecuteAsync in process, without HTTP, JSON or auth, {engineRetrieve.RequestsPerSecond:N0} per second.");
    }

    private static HttpRequestMessage Post(Uri url)
    {
        var n = Random.Shared.Next(1_000_000);
        var body = $"{{\"msdyn_name\":\"Bench create {n:D6}\",\"msdyn_provideraccountid\":\"AC{Guid.NewGuid():N}\"}}";
        return new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
    }

    private static string Failures(LoadDriver.Throughput server, LoadDriver.Throughput ceiling) =>
        $"{server.Ok:N0} ok / {server.Failed:N0} unexpected status in {server.Seconds:0.0} s; ceiling {ceiling.Ok:N0} ok / {ceiling.Failed:N0}";
}
