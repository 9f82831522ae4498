using System.Diagnostics;
using System.Globalization;
using ChannelAccounts.Bench.Http;

namespace ChannelAccounts.Bench.Loading;

/// <summary>
/// The load runs in a child process (this program with `load PROVIDER SPEC ROWS`), so the loader's page cache and
/// buffers never count in the server's resident memory. The child prints its peak RSS as its last line.
/// </summary>
public static class LoadProcess
{
    public const string Verb = "load";

    /// <summary>Runs the child and returns its peak RSS in MB.</summary>
    public static async Task<double> RunChildAsync(BenchDatabase database, int rows)
    {
        var path = Environment.ProcessPath!;
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LoadProcess).Assembly.Location);
        }
        foreach (var argument in new[] { Verb, database.Provider, database.Spec, rows.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The load process failed with exit code {process.ExitCode}: {output}");
        }
        return double.Parse(output.Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
    }

    /// <summary>The child: loads owners and rows into the prepared database, prints its peak RSS in MB.</summary>
    public static async Task<int> RunAsync(string provider, string spec, int rows)
    {
        await using var store = BenchServer.Open(spec);
        var organization = await BenchServer.PrepareAsync(store);
        var owners = new BenchOwners(organization.OrganizationId, organization.RootBusinessUnitId);
        var now = DateTime.UtcNow.AddTicks(-(DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond));
        var connectionString = spec[(spec.IndexOf(':') + 1)..];
        IBulkLoader loader = provider == "sqlite"
            ? new SqliteBulkLoader("Data Source=" + connectionString + ";Pooling=False")
            : new PostgresBulkLoader(connectionString);
        await loader.LoadAsync(owners, new AccountRows(owners, now), rows, AccountRows.StoredColumns(store.Catalog), now);
        Console.WriteLine(ProcessMemory.PeakMegabytes().ToString("0.0", CultureInfo.InvariantCulture));
        return 0;
    }
}
