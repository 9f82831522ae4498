using System.Globalization;
using System.Text;

namespace ChannelAccounts.Bench.Reporting;

/// <summary>Writes RESULTS.md: the machine, the parameters, and per database the figures with ceilings, ratios and targets.</summary>
public static class ResultsWriter
{
    public const double RssTargetMegabytes = 250;

    public static string Render(BenchOptions options, IReadOnlyList<DatabaseResult> results, TimeSpan elapsed, string command)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmark results").AppendLine();
        md.AppendLine("Written by `bench/ChannelAccounts.Bench` from one run; every figure below was measured in that run.").AppendLine();
        md.AppendLine($"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; run took {elapsed.TotalMinutes:0.0} min");
        md.AppendLine($"- Machine: {Environment.ProcessorCount} CPUs (nproc), {TotalMemoryGigabytes():0.0} GB memory, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        md.AppendLine($"- Command: `{command}`");
        md.AppendLine($"- Parameters: {options.Rows:N0} rows, {options.Seconds} s per measurement (after a warm-up), concurrency {options.Concurrency} for req/s, one caller for latencies");
        md.AppendLine("- Client, server and ceiling share one process and the machine's CPUs (loopback only).").AppendLine();

        foreach (var result in results)
        {
            md.AppendLine($"## {(result.Provider == "sqlite" ? "SQLite" : "PostgreSQL")}").AppendLine();
            md.AppendLine("| figure | value | ceiling / baseline | ceiling value | ratio | target | result |");
            md.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var f in result.Figures)
            {
                md.AppendLine($"| {f.Name} | {Number(f.Value)} {f.Unit} | {f.CeilingName} | {Number(f.Ceiling)} {f.Unit} | {f.RatioText} | {f.TargetText} | {(f.Pass ? "pass" : "**FAIL**")} |");
            }
            if (result.Statements.Count > 0)
            {
                md.AppendLine().AppendLine("The statement behind each throughput figure, run alone (ADO.NET in this process, same concurrency, no HTTP, " +
                    "engine, token or JSON): a server that runs it once per request serves at most this.").AppendLine();
                md.AppendLine("| figure | server | the statement alone | its rate | its rate against the Kestrel ceiling | server against the statement | target against the ceiling |");
                md.AppendLine("|---|---|---|---|---|---|---|");
                foreach (var s in result.Statements)
                {
                    md.AppendLine($"| {s.Name} | {Number(s.Server)} {s.Unit} | {s.Statement} | {Number(s.Rate)} {s.Unit} | {Percent(s.ShareOfCeiling)} | " +
                        $"{Percent(s.ServerShare)} | ≥ {s.Target.ToString("P0", CultureInfo.InvariantCulture)} |");
                }
            }
            md.AppendLine().AppendLine("| phase | peak RSS (VmHWM, reset at phase start) | RSS at end | target | result | managed heap in the phase |");
            md.AppendLine("|---|---|---|---|---|---|");
            foreach (var m in result.Memory)
            {
                var serverPhase = m.Phase.Contains("(server)", StringComparison.Ordinal);
                md.AppendLine($"| {m.Phase} | {m.PeakMegabytes:0} MB | {(double.IsNaN(m.EndMegabytes) ? "—" : $"{m.EndMegabytes:0} MB")} | {(serverPhase ? $"≤ {RssTargetMegabytes:0} MB" : "—")} | " +
                    $"{(serverPhase ? m.PeakMegabytes <= RssTargetMegabytes ? "pass" : "**FAIL**" : "—")} | {m.Gc ?? "—"} |");
            }
            md.AppendLine();
            foreach (var f in result.Figures.Where(f => f.Note is not null))
            {
                md.AppendLine($"- {f.Name}: {f.Note}");
            }
            foreach (var note in result.Notes)
            {
                md.AppendLine($"- {note}");
            }
            md.AppendLine();
            foreach (var (title, text) in result.Listings)
            {
                md.AppendLine($"{title}:").AppendLine().AppendLine("```").AppendLine(text).AppendLine("```").AppendLine();
            }
        }
        return md.ToString();
    }

    private static string Number(double value) => value >= 100
        ? value.ToString("N0", CultureInfo.InvariantCulture)
        : value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => ratio.ToString("P1", CultureInfo.InvariantCulture);

    private static double TotalMemoryGigabytes()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }
}
