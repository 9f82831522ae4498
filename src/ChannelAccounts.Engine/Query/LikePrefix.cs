namespace ChannelAccounts.Engine.Query;

/// <summary>
/// The range of case-folded values a LIKE pattern's literal prefix allows ("Acme 12%" → ["acme 12", "acme 13")),
/// compared byte by byte (COLLATE "C"). Only for an ASCII prefix: there C#'s and the database's lower() agree and
/// one byte is one character, so every value starting with the prefix lies inside the range. Assumes the database's
/// lower() folds ASCII letters to ASCII (C.UTF-8, en_US...); a Turkish or Azeri locale, where lower('I') is 'ı',
/// would need the range dropped.
/// </summary>
internal static class LikePrefix
{
    /// <param name="IsExact">The pattern is the prefix and one trailing %, so the range alone selects exactly its matches.</param>
    public readonly record struct PrefixRange(string From, string To, bool IsExact);

    public static PrefixRange? Range(string pattern)
    {
        // % and _ are wildcards; a backslash is PostgreSQL's default LIKE escape: the literal prefix ends at any of them.
        var end = pattern.AsSpan().IndexOfAny('%', '_', '\\');
        var prefix = end < 0 ? pattern : pattern[..end];
        if (prefix.Length == 0 || !System.Text.Ascii.IsValid(prefix))
        {
            return null;
        }

        var from = prefix.ToLowerInvariant();
        var last = from[^1];
        if (last >= '\x7f')
        {
            return null;
        }

        return new PrefixRange(from, from[..^1] + (char)(last + 1), IsExact: end == pattern.Length - 1 && pattern[^1] == '%');
    }
}
