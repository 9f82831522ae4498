using System.Globalization;
using System.Runtime;

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
        // Native memory freed by earlier phases (e.g. the SQLite run's page caches, before the PostgreSQL run in the
        // same process) stays in glibc's arenas and in RSS; hand it back so a phase's peak starts from what is in use.
        _ = MallocTrim(0);
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    /// <summary>The GC's counters, to compare with a phase's RSS: gen2 GCs in the phase, heap and committed after the last GC.</summary>
    public static string GcSummary(int gen2Before)
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        const double mb = 1024 * 1024;
        // No GC.GetTotalAllocatedBytes: with DATAS (the Server GC's dynamic heap count) it went backwards between phases here.
        return $"gen2 GCs {GC.CollectionCount(2) - gen2Before}, " +
               $"heap {info.HeapSizeBytes / mb:0} MB, committed {info.TotalCommittedBytes / mb:0} MB{(GCSettings.IsServerGC ? " (Server GC)" : " (workstation GC)")}";
    }

    /// <summary>
    /// Samples the memory the GC has committed (GC.GetGCInfo after the last GC does not show what a phase reached
    /// between collections), so a phase's peak RSS can be split into managed heap and everything else.
    /// </summary>
    public sealed class CommittedSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public CommittedSampler() => _timer = new Timer(_ => Sample(), null, 0, 50);

        public double PeakMegabytes
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peak) / 1024.0 / 1024.0;
            }
        }

        private void Sample()
        {
            // The GC's own committed bytes, with the gen0 allocation contexts not yet collected.
            var committed = GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes;
            var current = Math.Max(committed, GC.GetTotalMemory(false));
            long seen;
            while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
            {
            }
        }

        public void Dispose() => _timer.Dispose();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

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
