using System.Diagnostics;
using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Loading;
using ChannelAccounts.Bench.Reporting;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>One database end to end: create it, load N rows, start the server, run every scenario, drop it.</summary>
public static class DatabaseRun
{
    public static async Task<DatabaseResult> RunAsync(string provider, BenchOptions options)
    {
        var result = new DatabaseResult(provider);
        await using var database = await BenchDatabase.CreateAsync(provider, options.Keep);
        await using var store = BenchServer.Open(database.Spec);
        var organization = await BenchServer.PrepareAsync(store);

        Log(provider, $"loading {options.Rows:N0} rows");
        var clock = Stopwatch.StartNew();
        var loadPeak = await LoadProcess.RunChildAsync(database, options.Rows);
        result.Memory.Add(new MemoryPhase("Load (raw SQL, in a child process; not a server phase)", loadPeak, double.NaN));
        result.Notes.Add($"Load: {options.Rows:N0} accounts, {BenchOwners.Count} users in {BenchOwners.Count} business units, " +
            $"indexes rebuilt and ANALYZE in {clock.Elapsed.TotalSeconds:0.0} s.");
        Log(provider, $"loaded in {clock.Elapsed.TotalSeconds:0.0} s");

        ProcessMemory.ResetPeak();
        result.Memory.Add(new MemoryPhase("Idle after load (server not started yet)", ProcessMemory.PeakMegabytes(), ProcessMemory.CurrentMegabytes()));
        await using var server = await BenchServer.StartAsync(store, organization);
        using var client = BenchClient.Create(options.Concurrency, server.Token);
        var bench = new BenchContext
        {
            Options = options,
            Database = database,
            Store = store,
            Organization = organization,
            Server = server,
            Client = client,
            Result = result,
        };

        Log(provider, "server warm-up");
        await ServerWarmUp.RunAsync(bench);
        await PhaseAsync(bench, "records", "retrieve and create", RecordScenarios.RunAsync);
        await PhaseAsync(bench, "filtered", "filtered page", QueryScenarios.RunFilteredPageAsync);
        await PhaseAsync(bench, "security", "filtered page as a Local-depth user", SecurityScenarios.RunLocalUserPageAsync);
        await PhaseAsync(bench, "keyset", "keyset walk", QueryScenarios.RunKeysetWalkAsync);
        await PhaseAsync(bench, "bulk", "bulk create", BulkScenarios.RunAsync);
        return result;
    }

    private static async Task PhaseAsync(BenchContext bench, string phase, string description, Func<BenchContext, Task> run)
    {
        if (bench.Options.Runs(phase))
        {
            Log(bench.Database.Provider, description);
            await bench.Database.SettleAsync();
            await run(bench);
        }
    }

    public static void Log(string provider, string message) =>
        Console.WriteLine($"{DateTime.Now:HH:mm:ss} [{provider}] {message}");
}
