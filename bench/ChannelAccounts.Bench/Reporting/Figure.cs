using System.Globalization;

namespace ChannelAccounts.Bench.Reporting;

/// <summary>One measured figure beside its ceiling (or baseline), the ratio and the target it is held to.</summary>
/// <param name="HigherIsBetter">req/s (ratio = value / ceiling, target a minimum) or ms (ratio = value / baseline, target a maximum).</param>
public sealed record Figure(string Name, double Value, string Unit, string CeilingName, double Ceiling, bool HigherIsBetter, double Target, string? Note = null)
{
    public double Ratio => Value / Ceiling;

    public bool Pass => HigherIsBetter ? Ratio >= Target : Ratio <= Target;

    public string TargetText => HigherIsBetter
        ? $"≥ {Target.ToString("P0", CultureInfo.InvariantCulture)} of ceiling"
        : $"≤ {Target.ToString("0.##", CultureInfo.InvariantCulture)}× baseline";

    public string RatioText => HigherIsBetter
        ? Ratio.ToString("P1", CultureInfo.InvariantCulture)
        : Ratio.ToString("0.00", CultureInfo.InvariantCulture) + "×";
}

/// <summary>A phase's peak and final RSS; Gc says what the managed heap did in it (where the RSS went).</summary>
public sealed record MemoryPhase(string Phase, double PeakMegabytes, double EndMegabytes, string? Gc = null);

/// <summary>
/// A throughput figure beside the rate of the statement behind it run alone (ADO.NET in process, same concurrency, no
/// HTTP): the most a server that runs that statement per request could serve here.
/// </summary>
public sealed record StatementAlone(string Name, string Unit, double Server, double Ceiling, string Statement, double Rate, double Target)
{
    public double ShareOfCeiling => Rate / Ceiling;

    public double ServerShare => Server / Rate;
}

/// <summary>Everything measured for one database in one run.</summary>
public sealed class DatabaseResult(string provider)
{
    public string Provider => provider;

    public List<Figure> Figures { get; } = [];

    public List<StatementAlone> Statements { get; } = [];

    public List<MemoryPhase> Memory { get; } = [];

    public List<string> Notes { get; } = [];

    public List<(string Title, string Text)> Listings { get; } = [];
}
