using System.Globalization;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.Extensions.Primitives;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// The odata.metadata level a JSON response is written at, chosen from the Accept header as Microsoft.OData.Core
/// (Dataverse's OData library) negotiates it in MediaTypeUtils: of the media ranges that admit JSON, the one whose type
/// matches most specifically wins (application/json over application/* over */*), even against a higher q; then the
/// higher q; then minimal over full over none (the order of ODataLib's table; a bare application/json is minimal).
/// A wildcard range is answered at minimal whatever its parameters; on application/json, every parameter must be one
/// ODataLib serves — odata.metadata (or metadata) minimal, full or none; odata.streaming (or streaming) and
/// IEEE754Compatible true or false; charset anything — or the range does not match. When nothing admits JSON the
/// answer is ODataLib's refusal, as a 406.
/// </summary>
public static class AcceptHeader
{
    /// <summary>The JSON media types this server writes, as the refusal lists them.</summary>
    public const string Supported =
        "application/json;odata.metadata=minimal, application/json;odata.metadata=full, application/json;odata.metadata=none";

    /// <summary>The level the header asks for; a 406 when no media range of it admits a JSON body.</summary>
    public static MetadataLevel Negotiate(StringValues accept) => NegotiateFormat(accept).Level;

    /// <summary>
    /// The level, and whether the chosen range asks for IEEE754Compatible=true (Int64 and Decimal values then go out as
    /// strings, OData JSON Format §3.2); a 406 when no media range admits a JSON body.
    /// </summary>
    public static (MetadataLevel Level, bool Ieee754Compatible) NegotiateFormat(StringValues accept) =>
        TryNegotiate(accept, out var level, out var ieee754, out var problem) ? (level, ieee754) : throw WebApiException.NotAcceptable(problem);

    /// <summary>For an error body, which goes out whatever Accept says: the level asked for, or minimal.</summary>
    public static MetadataLevel LevelOrMinimal(StringValues accept) =>
        TryNegotiate(accept, out var level, out _, out _) ? level : MetadataLevel.Minimal;

    public static bool TryNegotiate(StringValues accept, out MetadataLevel level, out string problem) =>
        TryNegotiate(accept, out level, out _, out problem);

    public static bool TryNegotiate(StringValues accept, out MetadataLevel level, out bool ieee754Compatible, out string problem)
    {
        level = MetadataLevel.Minimal;
        ieee754Compatible = false;
        problem = "";
        // What nearly every client sends, or nothing: answered without parsing, so the common request pays nothing.
        if (accept.Count == 0 || (accept.Count == 1 && accept[0] is null or "" or "application/json" or "*/*"))
        {
            return true;
        }

        Candidate? best = null;
        foreach (var header in accept)
        {
            foreach (var element in QuotedList.Split(header ?? "", ','))
            {
                var range = element.Trim();
                if (range.Length == 0)
                {
                    continue; // RFC 9110 §5.6.1: a recipient ignores empty list elements
                }

                if (!TryRead(range, out var candidate, out problem))
                {
                    return false;
                }

                if (candidate is { } found && (best is null || found.IsBetterThan(best.Value)))
                {
                    best = found;
                }
            }
        }

        if (best is not { } chosen)
        {
            problem = "A supported MIME type could not be found that matches the acceptable MIME types for the request. " +
                      $"The supported type(s) '{Supported}' do not match any of the acceptable MIME types '{accept}'.";
            return false;
        }

        level = chosen.Level;
        ieee754Compatible = chosen.Ieee754Compatible;
        return true;
    }

    /// <summary>How well one media range admits JSON; null when it does not (another type, q=0, a parameter JSON lacks).</summary>
    private readonly record struct Candidate(int TypeParts, int Quality, MetadataLevel Level, bool Ieee754Compatible = false)
    {
        public bool IsBetterThan(Candidate other) =>
            TypeParts != other.TypeParts ? TypeParts > other.TypeParts
            : Quality != other.Quality ? Quality > other.Quality
            : Level < other.Level; // ODataLib's table lists minimal, then full, then none
    }

    /// <summary>One media range; false (with ODataLib's wording) when it is malformed, which refuses the whole header as ODataLib does.</summary>
    private static bool TryRead(string range, out Candidate? candidate, out string problem)
    {
        candidate = null;
        problem = $"The MIME type '{range}' is invalid or unspecified.";
        var parts = QuotedList.Split(range, ';');
        var media = parts[0].Trim();
        var slash = media.IndexOf('/');
        if (slash <= 0 || !IsToken(media.AsSpan(0, slash)) || !IsToken(media.AsSpan(slash + 1)))
        {
            return false;
        }

        var typeParts = media switch
        {
            _ when media[..slash] == "*" => 0, // ODataLib reads "*/anything" as */*
            _ when media.Equals("application/*", StringComparison.OrdinalIgnoreCase) => 1,
            _ when media.Equals("application/json", StringComparison.OrdinalIgnoreCase) => 2,
            _ => -1,
        };
        var quality = 1000;
        var afterQuality = false;
        var matches = true;
        MetadataLevel? level = null;
        var ieee754 = false;
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=');
            var name = eq < 0 ? part.Trim() : part[..eq].Trim();
            if (eq < 0 || name.Length == 0 || !IsToken(name))
            {
                return false;
            }

            var value = Unquote(part[(eq + 1)..].Trim());
            if (afterQuality)
            {
                continue; // accept-extensions after q take no part in matching
            }

            if (name.Equals("q", StringComparison.OrdinalIgnoreCase))
            {
                if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var q) || q > 1)
                {
                    problem = $"An invalid quality value was detected in the header string '{value}'.";
                    return false;
                }

                quality = (int)Math.Round(q * 1000);
                afterQuality = true;
            }
            else if (!name.Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                matches &= Parameter(name, value, ref level, ref ieee754);
            }
        }

        problem = "";
        if (typeParts < 0 || quality == 0)
        {
            return true;
        }

        candidate = typeParts < 2
            ? new Candidate(typeParts, quality, MetadataLevel.Minimal)
            : matches ? new Candidate(typeParts, quality, level ?? MetadataLevel.Minimal, ieee754) : null;
        return true;
    }

    /// <summary>Whether a format parameter of application/json is one ODataLib serves; odata.metadata also sets the level, IEEE754Compatible=true the flag.</summary>
    private static bool Parameter(string name, string value, ref MetadataLevel? level, ref bool ieee754Compatible)
    {
        if (name.Equals("odata.metadata", StringComparison.OrdinalIgnoreCase) || name.Equals("metadata", StringComparison.OrdinalIgnoreCase))
        {
            MetadataLevel? asked = value.ToLowerInvariant() switch
            {
                "minimal" => MetadataLevel.Minimal,
                "full" => MetadataLevel.Full,
                "none" => MetadataLevel.None,
                _ => null,
            };
            var consistent = asked is not null && (level is null || level == asked);
            level ??= asked;
            return consistent;
        }

        if (name.Equals("IEEE754Compatible", StringComparison.OrdinalIgnoreCase))
        {
            var asked = value.Equals("true", StringComparison.OrdinalIgnoreCase);
            ieee754Compatible |= asked;
            return asked || value.Equals("false", StringComparison.OrdinalIgnoreCase);
        }

        if (name.Equals("odata.streaming", StringComparison.OrdinalIgnoreCase) || name.Equals("streaming", StringComparison.OrdinalIgnoreCase))
        {
            return value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1].Replace("\\", "", StringComparison.Ordinal) : value;

    /// <summary>RFC 9110 token characters.</summary>
    private static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }
}
