using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>The Prefer header's values this server honours, and what to echo in Preference-Applied.</summary>
public sealed partial class PreferHeader
{
    private readonly List<string> _annotationPatterns = [];

    public bool ReturnRepresentation { get; private set; }

    public int? MaxPageSize { get; private set; }

    public bool ContinueOnError { get; private set; }

    public string? IncludeAnnotations { get; private set; }

    /// <summary>
    /// Adds a preference to Preference-Applied as one comma-separated header line: a client that keeps one value per
    /// header name would otherwise see only the last of two lines (return=representation with annotations).
    /// </summary>
    public static void Applied(HttpResponse response, string preference)
    {
        var current = response.Headers["Preference-Applied"];
        response.Headers["Preference-Applied"] = StringValues.IsNullOrEmpty(current) ? preference : $"{current},{preference}";
    }

    public static PreferHeader Parse(StringValues values)
    {
        var prefer = new PreferHeader();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var header in values)
        {
            foreach (var raw in QuotedList.Split(header ?? "", ','))
            {
                var item = raw.Trim();
                var eq = item.IndexOf('=');
                var name = (eq < 0 ? item : item[..eq]).Trim().ToLowerInvariant();
                var value = eq < 0 ? "" : item[(eq + 1)..].Trim().Trim('"');
                if (!seen.Add(name))
                {
                    continue; // RFC 7240 §2: of a preference given more than once, only the first counts
                }

                switch (name)
                {
                    case "return" when value.Equals("representation", StringComparison.OrdinalIgnoreCase):
                        prefer.ReturnRepresentation = true;
                        break;
                    case "odata.maxpagesize" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0:
                        prefer.MaxPageSize = size;
                        break;
                    case "odata.continue-on-error":
                        prefer.ContinueOnError = true;
                        break;
                    case "odata.include-annotations" when IsAnnotationFilter(value):
                        prefer.IncludeAnnotations = value;
                        prefer._annotationPatterns.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                        break;
                }
            }
        }

        return prefer;
    }

    /// <summary>Whether an annotation term was asked for: exact names, "*", "Namespace.*", and "-term" exclusions.</summary>
    public bool Includes(string term)
    {
        var included = false;
        foreach (var pattern in _annotationPatterns)
        {
            var exclude = pattern.StartsWith('-');
            var p = exclude ? pattern[1..] : pattern;
            // "*", an exact term, or a prefix ending in "*": "OData.Community.Display.V1.*", and Dataverse's own
            // "Microsoft.PowerApps.CDS.ErrorDetails*" (no dot before the star).
            var match = p == "*" || string.Equals(p, term, StringComparison.OrdinalIgnoreCase)
                || (p.EndsWith('*') && term.StartsWith(p[..^1], StringComparison.OrdinalIgnoreCase));
            if (match && exclude)
            {
                return false;
            }

            included |= match;
        }

        return included;
    }

    public bool AnyAnnotations => _annotationPatterns.Count > 0;

    /// <summary>
    /// OData's annotation filter: a comma-separated list of "*", "Namespace.term", "Namespace.*" (or Dataverse's
    /// "Namespace.term*"), each optionally
    /// excluded with "-". Anything else is a preference the server does not understand, which OData says to ignore;
    /// it is never echoed in Preference-Applied either (a header value must stay visible ASCII).
    /// </summary>
    private static bool IsAnnotationFilter(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } patterns
        && patterns.All(p => AnnotationPattern().IsMatch(p));

    // "Namespace.term*" too: Dataverse documents "Microsoft.PowerApps.CDS.ErrorDetails*" for the error annotations.
    [System.Text.RegularExpressions.GeneratedRegex(@"^-?(\*|[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\.?\*)?)$")]
    private static partial System.Text.RegularExpressions.Regex AnnotationPattern();
}
