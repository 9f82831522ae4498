using System.Text;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>Parses the body of an application/http part: "METHOD URL HTTP/1.1", header lines, a blank line, the body.</summary>
public static class HttpRequestText
{
    private static readonly byte[] BlankLine = "\r\n\r\n"u8.ToArray();

    public static BatchOperation Parse(byte[] part, string? contentId)
    {
        var span = part.AsSpan();
        var end = span.IndexOf(BlankLine);
        var head = Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
        var body = end < 0 ? [] : span[(end + BlankLine.Length)..].ToArray();
        var lines = head.Split("\r\n");
        var (method, url) = RequestLine(lines[0]);

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw BatchErrors.NotReadable($"'{line}' is not an HTTP header line ('Name: value').");
            }

            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }

        return new BatchOperation(method.ToUpperInvariant(), url, headers, body, contentId);
    }

    /// <summary>
    /// The method and URL of "METHOD URL HTTP/1.1". The URL is everything between the first space and the one before
    /// the version, spaces included, as Microsoft.OData's batch reader (Dataverse's) reads it ("since the uri can contain
    /// spaces"): clients such as @odata/client leave $filter=a eq b unencoded there. Its spaces are escaped.
    /// </summary>
    private static (string Method, string Url) RequestLine(string line)
    {
        var text = line.Trim();
        var first = text.IndexOf(' ', StringComparison.Ordinal);
        var last = text.LastIndexOf(' ');
        var hasVersion = last > first && text[(last + 1)..].StartsWith("HTTP/", StringComparison.Ordinal);
        var url = first < 0 ? "" : (hasVersion ? text[(first + 1)..last] : text[(first + 1)..]).Trim();
        if (first <= 0 || url.Length == 0 || (!hasVersion && url.Contains(' ', StringComparison.Ordinal)))
        {
            throw BatchErrors.NotReadable($"'{line}' is not an HTTP request line ('METHOD URL HTTP/1.1').");
        }

        return (text[..first], url.Replace(" ", "%20", StringComparison.Ordinal));
    }
}
