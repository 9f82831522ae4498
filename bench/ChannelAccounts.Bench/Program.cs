using System.Diagnostics;
using ChannelAccounts.Bench;
using ChannelAccounts.Bench.Loading;
using ChannelAccounts.Bench.Reporting;
using ChannelAccounts.Bench.Scenarios;

// The benchmark: see bench/README.md. Writes bench/RESULTS.md (or --output) and prints it.
if (args.Length == 4 && args[0] == LoadProcess.Verb)
{
    return await LoadProcess.RunAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Length >= 4 && args[0] == CpuProfile.Verb)
{
    return await CpuProfile.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), args.Length > 4 && args[4] != "all" ? args[4] : null,
        args.Length > 5 ? int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture) : 16);
}

var options = BenchOptions.Parse(args);
var clock = Stopwatch.StartNew();
var results = new List<DatabaseResult>();
foreach (var provider in options.Databases)
{
    results.Add(await DatabaseRun.RunAsync(provider, options));
}

var command = "dotnet run -c Release --project bench/ChannelAccounts.Bench --" + (args.Length == 0 ? "" : " " + string.Join(' ', args));
var markdown = ResultsWriter.Render(options, results, clock.Elapsed, command);
var output = Path.IsPathRooted(options.Output) ? options.Output : Path.Combine(BenchDatabase.RepositoryRoot(), options.Output);
await File.WriteAllTextAsync(output, markdown);
Console.WriteLine(markdown);
Console.WriteLine($"Written to {output}");
return results.SelectMany(r => r.Figures).All(f => f.Pass) ? 0 : 2;
