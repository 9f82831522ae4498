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
        var requestLine = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requestLine.Length is < 2 or > 3 || (requestLine.Length == 3 && !requestLine[2].StartsWith("HTTP/", StringComparison.Ordinal)))
        {
            throw BatchErrors.NotReadable($"'{lines[0]}' is not an HTTP request line ('METHOD URL HTTP/1.1').");
        }

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

        return new BatchOperation(requestLine[0].ToUpperInvariant(), requestLine[1], headers, body, contentId);
    }
}
