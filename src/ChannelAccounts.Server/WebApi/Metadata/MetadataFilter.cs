using System.Globalization;
using System.Text.RegularExpressions;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Metadata;

/// <summary>A property $filter may compare: its value as text, and for enums the enum type and members.</summary>
public sealed record FilterProperty<T>(Func<T, string?> Value, string? EnumType = null, IReadOnlyCollection<string>? Members = null)
{
    public static FilterProperty<T> Boolean(Func<T, bool> value) =>
        new(item => value(item) ? "true" : "false");

    public static FilterProperty<T> Number(Func<T, long?> value) =>
        new(item => value(item)?.ToString(CultureInfo.InvariantCulture));

    public static FilterProperty<T> Enum<TEnum>(Func<T, string?> value) where TEnum : struct, System.Enum =>
        new(value, "Microsoft.Dynamics.CRM." + typeof(TEnum).Name, System.Enum.GetNames<TEnum>());
}

/// <summary>
/// The small $filter metadata requests accept: comparisons "Property eq|ne literal" joined by and/or (and binds
/// tighter), grouped with parentheses and negated with not. Literals are 'text', true, false, null, integers and
/// Microsoft.Dynamics.CRM.Enum'Member'.
/// </summary>
public sealed partial class MetadataFilter<T>
{
    private readonly Func<T, bool> _matches;

    private MetadataFilter(Func<T, bool> matches) => _matches = matches;

    public bool Matches(T item) => _matches(item);

    public static MetadataFilter<T>? Parse(string? text, string typeName, IReadOnlyDictionary<string, FilterProperty<T>> properties)
    {
        if (text is null)
        {
            return null;
        }

        var parser = new Parser(text, typeName, properties);
        var matches = parser.Or();
        parser.SkipSpaces();
        return parser.AtEnd ? new MetadataFilter<T>(matches) : throw Unsupported(text);
    }

    /// <summary>Recursive descent over or → and → not / ( … ) / comparison.</summary>
    private sealed class Parser(string text, string typeName, IReadOnlyDictionary<string, FilterProperty<T>> properties)
    {
        /// <summary>Deep enough for any real query, shallow enough that "((((…" cannot exhaust the stack.</summary>
        private const int MaxDepth = 32;

        private int _position;
        private int _depth;

        public bool AtEnd => _position == text.Length;

        public Func<T, bool> Or()
        {
            var any = new List<Func<T, bool>> { And() };
            while (Connector("or"))
            {
                any.Add(And());
            }
            return any.Count == 1 ? any[0] : item => any.Any(m => m(item));
        }

        private Func<T, bool> And()
        {
            var all = new List<Func<T, bool>> { Operand() };
            while (Connector("and"))
            {
                all.Add(Operand());
            }
            return all.Count == 1 ? all[0] : item => all.All(m => m(item));
        }

        private Func<T, bool> Operand()
        {
            SkipSpaces();
            if (Connector("not"))
            {
                var negated = Operand();
                return item => !negated(item);
            }

            if (Peek('('))
            {
                if (++_depth > MaxDepth)
                {
                    throw Unsupported(text);
                }
                _position++;
                var inner = Or();
                SkipSpaces();
                if (!Peek(')'))
                {
                    throw Unsupported(text);
                }
                _position++;
                _depth--;
                return inner;
            }

            var match = ComparisonPattern().Match(text, _position);
            if (!match.Success || match.Index != _position)
            {
                throw Unsupported(text);
            }

            var path = match.Groups["path"].Value;
            if (!properties.TryGetValue(path, out var property))
            {
                throw MetadataQuery.NoProperty(path, typeName);
            }

            _position += match.Length;
            var comparison = new Comparison(property, Literal(match.Groups["literal"].Value, property, text), match.Groups["op"].Value == "eq");
            return comparison.Matches;
        }

        /// <summary>Consumes the word (followed by a space or a parenthesis) if it comes next.</summary>
        private bool Connector(string word)
        {
            SkipSpaces();
            var end = _position + word.Length;
            if (end < text.Length && string.CompareOrdinal(text, _position, word, 0, word.Length) == 0 && (char.IsWhiteSpace(text[end]) || text[end] == '('))
            {
                _position = end;
                return true;
            }
            return false;
        }

        private bool Peek(char c) => _position < text.Length && text[_position] == c;

        public void SkipSpaces()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }
    }

    private static string? Literal(string literal, FilterProperty<T> property, string text)
    {
        if (literal == "null")
        {
            return null;
        }

        var quote = literal.IndexOf('\'', StringComparison.Ordinal);
        if (quote < 0)
        {
            return literal; // true, false or a number, compared as written
        }

        var typeName = literal[..quote];
        var value = literal[(quote + 1)..^1].Replace("''", "'", StringComparison.Ordinal);
        if (typeName.Length > 0 && typeName != property.EnumType)
        {
            throw Unsupported(text);
        }

        if (property.Members is not null && !property.Members.Contains(value))
        {
            throw WebApiException.BadRequest($"The value '{value}' is not a member of {property.EnumType}.");
        }

        return value;
    }

    private static WebApiException Unsupported(string text) =>
        WebApiException.BadRequest($"The $filter '{text}' is not supported on metadata; compare properties with eq or ne, " +
                                   "join the comparisons with and/or, group them with parentheses and negate them with not.");

    private sealed record Comparison(FilterProperty<T> Property, string? Literal, bool Equal)
    {
        public bool Matches(T item) => string.Equals(Property.Value(item), Literal, StringComparison.Ordinal) == Equal;
    }

    [GeneratedRegex("""(?<path>[A-Za-z][A-Za-z0-9_]*(?:/Value)?)\s+(?<op>eq|ne)\s+(?<literal>(?:[A-Za-z][A-Za-z0-9_.]*)?'(?:[^']|'')*'|true|false|null|-?[0-9]+)\s*""", RegexOptions.CultureInvariant)]
    private static partial Regex ComparisonPattern();
}
