namespace ChannelAccounts.Engine.Twilio;

/// <summary>
/// The URL forms Twilio may have signed, by plain string edits so scheme, host, user info, path and query keep the
/// exact characters configured (no Uri normalisation: a lower-cased host or re-encoded query would change the HMAC).
/// </summary>
public static class SignedUrl
{
    /// <summary>
    /// The URL without any port, and with its port (an explicit one kept, else 443 for https, 80 for http). A fragment
    /// is dropped: it is never sent to the server, so Twilio cannot have signed it.
    /// </summary>
    public static IReadOnlyList<string> PortVariants(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0)
        {
            url = url[..hash];
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return [url];
        }

        var scheme = url[..schemeEnd];
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        var portColon = authority.LastIndexOf(':');
        // A colon inside user info or an IPv6 literal ([::1]) is not a port separator.
        var hasPort = portColon >= hostStart && portColon > authority.LastIndexOf(']');
        var hostOnly = hasPort ? authority[..portColon] : authority;
        var port = hasPort ? authority[(portColon + 1)..] : DefaultPort(scheme);
        var prefix = url[..authorityStart];
        var rest = url[authorityEnd..];
        var withoutPort = prefix + hostOnly + rest;
        return port is null ? [withoutPort] : [withoutPort, prefix + hostOnly + ":" + port + rest];
    }

    /// <summary>The last value of a query parameter, as written in the URL (not decoded), or null.</summary>
    public static string? QueryValue(string url, string name)
    {
        ArgumentNullException.ThrowIfNull(url);
        var query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        var end = url.IndexOf('#', StringComparison.Ordinal);
        string? found = null;
        foreach (var pair in url[(query + 1)..(end < 0 ? url.Length : end)].Split('&'))
        {
            if (pair.StartsWith(name + "=", StringComparison.Ordinal))
            {
                found = pair[(name.Length + 1)..];
            }
        }

        return found;
    }

    /// <summary>The URL with one more query parameter, as Twilio appends bodySHA256 to the configured URL.</summary>
    public static string AppendQuery(string url, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(url);
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var bare = hash < 0 ? url : url[..hash];
        return bare + (bare.Contains('?', StringComparison.Ordinal) ? "&" : "?") + name + "=" + value;
    }

    private static string? DefaultPort(string scheme) =>
        scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? "443"
        : scheme.Equals("http", StringComparison.OrdinalIgnoreCase) ? "80"
        : null;
}
