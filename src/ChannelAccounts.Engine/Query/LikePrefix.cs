namespace ChannelAccounts.Engine.Query;

/// <summary>
/// The range of case-folded values a LIKE pattern's literal prefix allows ("Acme 12%" → ["acme 12", "acme 13")),
/// compared byte by byte (PostgreSQL's COLLATE "C"; SQLite's NOCASE compares ASCII-folded bytes). On PostgreSQL only
/// for an ASCII prefix: there C#'s and the database's lower() agree and one byte is one character, so every value
/// starting with the prefix lies inside the range. Assumes the database's lower() folds ASCII letters to ASCII
/// (C.UTF-8, en_US...); a Turkish or Azeri locale, where lower('I') is 'ı', would need the range dropped.
/// </summary>
internal static class LikePrefix
{
    /// <param name="IsExact">The pattern is the prefix and one trailing %, so the range alone selects exactly its matches.</param>
    public readonly record struct PrefixRange(string From, string To, bool IsExact);

    /// <param name="foldsAsciiOnly">
    /// The database folds only ASCII letters and compares the rest by code point (SQLite's NOCASE and LIKE): any
    /// prefix has a range, folded the same way. Otherwise (PostgreSQL's locale-aware lower()) only an ASCII one.
    /// </param>
    public static PrefixRange? Range(TransactSqlLike pattern, bool foldsAsciiOnly = false)
    {
        var prefix = pattern.LiteralPrefix;
        if (prefix.Length == 0 || !(foldsAsciiOnly || System.Text.Ascii.IsValid(prefix)))
        {
            return null;
        }

        var from = foldsAsciiOnly ? FoldAscii(prefix) : prefix.ToLowerInvariant();
        var last = from[^1];
        // The next character must exist and be one code point: UTF-8 byte order is code point order, not UTF-16's.
        if (last >= (foldsAsciiOnly ? '\ud7ff' : '\x7f'))
        {
            return null;
        }

        // Folded values hold no A–Z, and NOCASE would read an upper bound of "A" (after "@") as "a", taking in "[", "_"...:
        // the next folded character after "@" is "[".
        var next = (char)(last + 1);
        next = foldsAsciiOnly && next is >= 'A' and <= 'Z' ? '[' : next;
        return new PrefixRange(from, from[..^1] + next, IsExact: pattern.IsPrefixOnly);
    }

    private static string FoldAscii(string text) => string.Create(text.Length, text, static (folded, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            folded[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + ('a' - 'A')) : source[i];
        }
    });
}
