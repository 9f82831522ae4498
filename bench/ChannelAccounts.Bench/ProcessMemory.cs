using System.Globalization;

namespace ChannelAccounts.Bench;

/// <summary>Resident memory of this process from /proc/self/status; the peak (VmHWM) can be reset per phase.</summary>
public static class ProcessMemory
{
    /// <summary>Resets VmHWM to the current RSS (Linux: "5" to /proc/self/clear_refs), so the next read is the phase's peak.</summary>
    public static void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    public static double PeakMegabytes() => ReadKilobytes("VmHWM:") / 1024.0;

    public static double CurrentMegabytes() => ReadKilobytes("VmRSS:") / 1024.0;

    private static long ReadKilobytes(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/self/status has no {field}");
    }
}
