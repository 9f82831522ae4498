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
/// tighter, no parentheses). Literals are 'text', true, false, null, integers and Microsoft.Dynamics.CRM.Enum'Member'.
/// </summary>
public sealed partial class MetadataFilter<T>
{
    private readonly List<List<Comparison>> _anyOf;

    private MetadataFilter(List<List<Comparison>> anyOf) => _anyOf = anyOf;

    public bool Matches(T item) => _anyOf.Any(all => all.All(c => c.Matches(item)));

    public static MetadataFilter<T>? Parse(string? text, string typeName, IReadOnlyDictionary<string, FilterProperty<T>> properties)
    {
        if (text is null)
        {
            return null;
        }

        var anyOf = new List<List<Comparison>> { new() };
        var position = 0;
        while (true)
        {
            var match = ComparisonPattern().Match(text, position);
            if (!match.Success || match.Index != position)
            {
                throw Unsupported(text);
            }

            var path = match.Groups["path"].Value;
            if (!properties.TryGetValue(path, out var property))
            {
                throw MetadataQuery.NoProperty(path, typeName);
            }

            anyOf[^1].Add(new Comparison(property, Literal(match.Groups["literal"].Value, property, text), match.Groups["op"].Value == "eq"));
            position = match.Index + match.Length;
            if (position == text.Length)
            {
                return new MetadataFilter<T>(anyOf);
            }

            var connector = ConnectorPattern().Match(text, position);
            if (!connector.Success || connector.Index != position)
            {
                throw Unsupported(text);
            }

            if (connector.Groups["connector"].Value == "or")
            {
                anyOf.Add([]);
            }

            position += connector.Length;
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
        WebApiException.BadRequest($"The $filter '{text}' is not supported on metadata; compare properties with eq or ne and join the comparisons with and/or.");

    private sealed record Comparison(FilterProperty<T> Property, string? Literal, bool Equal)
    {
        public bool Matches(T item) => string.Equals(Property.Value(item), Literal, StringComparison.Ordinal) == Equal;
    }

    [GeneratedRegex("""\s*(?<path>[A-Za-z][A-Za-z0-9_]*(?:/Value)?)\s+(?<op>eq|ne)\s+(?<literal>(?:[A-Za-z][A-Za-z0-9_.]*)?'(?:[^']|'')*'|true|false|null|-?[0-9]+)\s*""", RegexOptions.CultureInvariant)]
    private static partial Regex ComparisonPattern();

    [GeneratedRegex("""(?<connector>and|or)(?=\s)""", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectorPattern();
}
