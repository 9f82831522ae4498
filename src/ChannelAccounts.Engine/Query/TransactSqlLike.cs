using System.Text;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// A LIKE pattern as Dataverse reads it, which is as SQL Server's LIKE does: <c>%</c> any run of characters, <c>_</c> any
/// one, <c>[abc]</c> or <c>[a-c]</c> one of a set or range, <c>[^…]</c> one not in it, and no escape character (a
/// wildcard is written literally as <c>[%]</c>, <c>[_]</c>, <c>[[]</c>; a backslash is just a backslash). Dataverse
/// documents these for like, begins-with, ends-with and the Web API's contains, startswith and endswith. The databases
/// read LIKE otherwise (PostgreSQL takes a backslash as its escape, neither knows brackets), so the pattern is parsed
/// once here and written for them: as LIKE with an explicit escape when it has no character class, else as a
/// case-insensitive regular expression.
/// </summary>
internal sealed class TransactSqlLike
{
    /// <summary>The escape character of <see cref="ToLikePattern"/>, for the statement's <c>ESCAPE</c> clause.</summary>
    public const char Escape = '\\';

    private enum Kind { Literal, AnyOne, AnyRun, Class }

    /// <param name="Set">A class's members as written, ranges as "a-c".</param>
    private readonly record struct Token(Kind Kind, char Literal = '\0', string Set = "", bool Negated = false);

    private readonly List<Token> _tokens;

    private TransactSqlLike(List<Token> tokens) => _tokens = tokens;

    public static TransactSqlLike Parse(string pattern)
    {
        var tokens = new List<Token>(pattern.Length);
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '%':
                    tokens.Add(new Token(Kind.AnyRun));
                    break;
                case '_':
                    tokens.Add(new Token(Kind.AnyOne));
                    break;
                case '[':
                    var negated = i + 1 < pattern.Length && pattern[i + 1] == '^';
                    var start = i + (negated ? 2 : 1);
                    var close = start < pattern.Length ? pattern.IndexOf(']', start) : -1;
                    if (close < 0)
                    {
                        // SQL Server matches nothing with a bracket left open ("%[%" finds no row): a class of no member.
                        tokens.Add(new Token(Kind.Class, Set: "", Negated: false));
                        i = pattern.Length;
                        break;
                    }

                    var set = pattern[start..close];
                    tokens.Add(!negated && set.Length == 1 ? new Token(Kind.Literal, set[0]) : new Token(Kind.Class, Set: set, Negated: negated));
                    i = close;
                    break;
                default:
                    tokens.Add(new Token(Kind.Literal, pattern[i]));
                    break;
            }
        }

        return new TransactSqlLike(tokens);
    }

    /// <summary>True when a bracketed class leaves LIKE unable to say it: the pattern is matched by <see cref="ToRegex"/>.</summary>
    public bool NeedsRegex => _tokens.Exists(t => t.Kind == Kind.Class);

    /// <summary>The characters every match starts with (before any wildcard or class).</summary>
    public string LiteralPrefix
    {
        get
        {
            var prefix = new StringBuilder();
            foreach (var token in _tokens)
            {
                if (token.Kind != Kind.Literal)
                {
                    break;
                }

                prefix.Append(token.Literal);
            }

            return prefix.ToString();
        }
    }

    /// <summary>A startswith of the ASCII characters the literal prefix begins with ("Zü%" → "Z%"), which every match begins with too.</summary>
    public TransactSqlLike AsciiStart()
    {
        var start = _tokens.TakeWhile(t => t.Kind == Kind.Literal && char.IsAscii(t.Literal)).ToList();
        return new TransactSqlLike([.. start, new Token(Kind.AnyRun)]);
    }

    /// <summary>The pattern is its literal prefix and one trailing %: a startswith.</summary>
    public bool IsPrefixOnly =>
        _tokens.Count > 0 && _tokens[^1].Kind == Kind.AnyRun && _tokens.Take(_tokens.Count - 1).All(t => t.Kind == Kind.Literal);

    /// <summary>The pattern for a database's <c>LIKE … ESCAPE '\'</c>: its wildcards, every literal %, _ and \ escaped.</summary>
    public string ToLikePattern()
    {
        if (NeedsRegex)
        {
            throw new InvalidOperationException("A pattern with a character class is matched as a regular expression.");
        }

        var like = new StringBuilder(_tokens.Count + 4);
        foreach (var token in _tokens)
        {
            _ = token.Kind switch
            {
                Kind.AnyRun => like.Append('%'),
                Kind.AnyOne => like.Append('_'),
                _ when token.Literal is '%' or '_' or Escape => like.Append(Escape).Append(token.Literal),
                _ => like.Append(token.Literal),
            };
        }

        return like.ToString();
    }

    /// <summary>
    /// The whole-value regular expression, to be matched ignoring case, in the syntax .NET and PostgreSQL's advanced
    /// regular expressions share: ASCII punctuation but _ escaped with a backslash, in a class too.
    /// </summary>
    public string ToRegex()
    {
        var regex = new StringBuilder("^", _tokens.Count * 2 + 2);
        foreach (var token in _tokens)
        {
            switch (token.Kind)
            {
                case Kind.AnyRun:
                    regex.Append("[\\s\\S]*"); // any character, line breaks included, whatever the engine's flags
                    break;
                case Kind.AnyOne:
                    regex.Append("[\\s\\S]");
                    break;
                case Kind.Literal:
                    AppendLiteral(regex, token.Literal);
                    break;
                default:
                    AppendClass(regex, token.Set, token.Negated);
                    break;
            }
        }

        return regex.Append('$').ToString();
    }

    /// <summary>
    /// A bracketed class: a-c is a range (one written backwards, z-a, has no member), a dash first or last is itself.
    /// A class of no member matches no character, or any one when negated, as an open bracket or [^] in SQL Server.
    /// </summary>
    private static void AppendClass(StringBuilder regex, string set, bool negated)
    {
        var members = new StringBuilder();
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                if (set[i] <= set[i + 2])
                {
                    AppendLiteral(members, set[i]);
                    members.Append('-');
                    AppendLiteral(members, set[i + 2]);
                }

                i += 2;
                continue;
            }

            AppendLiteral(members, set[i]);
        }

        if (members.Length == 0)
        {
            regex.Append(negated ? "[\\s\\S]" : "[^\\s\\S]");
            return;
        }

        regex.Append(negated ? "[^" : "[").Append(members).Append(']');
    }

    private static void AppendLiteral(StringBuilder regex, char c)
    {
        // Printable ASCII punctuation is escaped; not _ (a backslash before a letter, digit or _ is an escape of its own).
        if (c is > ' ' and < '\x7f' && !char.IsAsciiLetterOrDigit(c) && c != '_')
        {
            regex.Append('\\');
        }

        regex.Append(c);
    }
}
