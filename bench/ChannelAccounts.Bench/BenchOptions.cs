using System.Globalization;

namespace ChannelAccounts.Bench;

/// <summary>The command line: rows to load, seconds per measurement, client concurrency, which databases.</summary>
public sealed record BenchOptions
{
    public int Rows { get; init; } = 1_000_000;

    public int Seconds { get; init; } = 10;

    public int Concurrency { get; init; } = 16;

    public string Db { get; init; } = "both";

    public string Output { get; init; } = Path.Combine("bench", "RESULTS.md");

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
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --rows N --seconds S --concurrency C --db sqlite|postgres|both --output FILE"),
            };
            i++;
        }
        return options;
    }
}
