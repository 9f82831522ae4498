using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Reporting;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>What every scenario of one database run shares: the server, its client, the options, the results.</summary>
public sealed class BenchContext
{
    public const string EntitySet = "msdyn_ocwhatsappchannelaccounts";

    public required BenchOptions Options { get; init; }

    public required BenchDatabase Database { get; init; }

    public required IDataStore Store { get; init; }

    public required OrganizationInfo Organization { get; init; }

    public required BenchServer Server { get; init; }

    public required HttpClient Client { get; init; }

    public required DatabaseResult Result { get; init; }

    public TimeSpan Duration => TimeSpan.FromSeconds(Options.Seconds);

    public TimeSpan WarmUp => TimeSpan.FromSeconds(Math.Clamp(Options.Seconds / 3.0, 1, 3));

    public Uri Url(string relative) => new(Server.Api, relative);

    /// <summary>Measures one phase's peak RSS: resets VmHWM, runs the phase, records the peak and the RSS at its end.</summary>
    public async Task<T> PhaseAsync<T>(string phase, Func<Task<T>> run)
    {
        ProcessMemory.ResetPeak();
        var startMegabytes = ProcessMemory.CurrentMegabytes();
        var gen2 = GC.CollectionCount(2);
        using var sampler = new ProcessMemory.CommittedSampler();
        var result = await run();
        Result.Memory.Add(new MemoryPhase(phase, ProcessMemory.PeakMegabytes(), ProcessMemory.CurrentMegabytes(),
            ProcessMemory.GcSummary(gen2) + $", GC committed at most {sampler.PeakMegabytes:0} MB (sampled every 50 ms); RSS at start {startMegabytes:0} MB"));
        return result;
    }
}
