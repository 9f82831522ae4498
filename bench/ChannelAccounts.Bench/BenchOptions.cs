using System.Globalization;

namespace ChannelAccounts.Bench;

/// <summary>The command line: rows to load, seconds per measurement, client concurrency, which databases and phases.</summary>
public sealed record BenchOptions
{
    public int Rows { get; init; } = 1_000_000;

    public int Seconds { get; init; } = 10;

    public int Concurrency { get; init; } = 16;

    public string Db { get; init; } = "both";

    public string Output { get; init; } = Path.Combine("bench", "RESULTS.md");

    /// <summary>The phases to run (all by default): a shorter loop while working on one figure.</summary>
    public IReadOnlySet<string> Phases { get; init; } = AllPhases;

    /// <summary>Records CreateMultiple writes (calls of 1,000); lower it to see whether RSS stays flat as the count grows.</summary>
    public int BulkRecords { get; init; } = 100_000;

    /// <summary>Keeps the database after the run and prints where it is, to read query plans on the loaded data.</summary>
    public bool Keep { get; init; }

    public static readonly IReadOnlySet<string> AllPhases = new HashSet<string>(["records", "filtered", "security", "keyset", "bulk"]);

    public bool Runs(string phase) => Phases.Contains(phase);

    public IEnumerable<string> Databases => Db == "both" ? ["sqlite", "postgres"] : [Db];

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--rows" => options with { Rows = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seconds" => options with { Seconds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--concurrency" => options with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--db" => options with { Db = value is "sqlite" or "postgres" or "both" ? value : throw new ArgumentException("--db is sqlite, postgres or both.") },
                "--output" => options with { Output = value },
                "--phases" => options with { Phases = ParsePhases(value) },
                "--bulk-records" => options with { BulkRecords = int.Parse(value, CultureInfo.InvariantCulture) },
                "--keep" => options with { Keep = value is "true" or "yes" ? true : value is "false" or "no" ? false : throw new ArgumentException("--keep is true or false.") },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --rows N --seconds S --concurrency C --db sqlite|postgres|both " +
                    $"--output FILE --phases {string.Join(',', AllPhases)} --bulk-records N --keep true|false"),
            };
            i++;
        }
        return options;
    }

    private static HashSet<string> ParsePhases(string value)
    {
        var phases = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = phases.Except(AllPhases).ToList();
        return unknown.Count == 0 && phases.Count > 0 ? phases
            : throw new ArgumentException($"--phases takes a comma-separated list of {string.Join(", ", AllPhases)}; not {string.Join(", ", unknown)}.");
    }
}
