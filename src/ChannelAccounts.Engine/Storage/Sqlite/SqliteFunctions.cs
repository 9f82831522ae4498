using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>The functions the store's SQL calls that SQLite lacks, registered on every connection it opens.</summary>
internal static class SqliteFunctions
{
    public const string MatchesIgnoringCaseName = "ca_matches_ignoring_case";

    // Non-backtracking: a pattern comes from the caller, and "%a%a%a…" must not cost exponential time.
    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;

    /// <summary>A LIKE pattern with a bracketed class, as a regular expression (TransactSqlLike.ToRegex); null for null.</summary>
    public static bool? MatchesIgnoringCase(string? value, string? regex) =>
        value is null || regex is null ? null : Regex.IsMatch(value, regex, Options); // Regex keeps the recent patterns compiled

    public const string FoldName = "ca_fold";

    /// <summary>Text with every letter in one case (SQLite's own upper() and NOCASE fold ASCII letters only).</summary>
    public static string? Fold(string? text) => text?.ToUpperInvariant();

    public static void Register(SqliteConnection connection)
    {
        connection.CreateFunction<string?, string?, bool?>(MatchesIgnoringCaseName, MatchesIgnoringCase, isDeterministic: true);
        connection.CreateFunction<string?, string?>(FoldName, Fold, isDeterministic: true);
    }
}
