using System.Text;
using System.Text.Json;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.Net.Http.Headers;

namespace ChannelAccounts.Server.WebApi;

/// <summary>
/// Reads a JSON request body within the size limit: too large is 413, not JSON by its Content-Type is 415, and
/// anything a JSON reader would choke on later (bad UTF-8, lone surrogates, NUL, duplicate names) is Dataverse's
/// payload error here, before anything is written.
/// </summary>
public static class RequestBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static async Task<JsonElement> ReadJsonAsync(HttpContext http, string entitySetName, long maxBytes)
    {
        var bytes = await ReadBytesAsync(http.Request, maxBytes, http.RequestAborted);
        if (bytes.Length == 0 || bytes.Span.SequenceEqual(Encoding.UTF8.Preamble))
        {
            throw WebApiException.Payload(entitySetName, "The request body is empty; a JSON object was expected.");
        }

        var encoding = JsonEncoding(http.Request, bytes.Span, out var preamble);
        bytes = bytes[preamble..];
        try
        {
            if (encoding is UTF8Encoding)
            {
                _ = StrictUtf8.GetCharCount(bytes.Span); // only checked: the JSON reader takes UTF-8 as it is
            }
            else
            {
                // Another charset is read as OData's reader in Dataverse reads it; the JSON is then parsed as UTF-8.
                bytes = StrictUtf8.GetBytes(encoding.GetString(bytes.Span));
            }
        }
        catch (Exception e) when (e is DecoderFallbackException or EncoderFallbackException)
        {
            throw WebApiException.Payload(entitySetName, $"The request body is not valid {encoding.WebName} text.");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            CheckValues(document.RootElement, detail => WebApiException.Payload(entitySetName, detail));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw WebApiException.Payload(entitySetName, $"Invalid JSON. {e.Message}");
        }
    }

    /// <summary>
    /// The body's bytes, within the size limit (413 past it). A body in a content coding (gzip, br, …) is 415: the
    /// server reads bodies as sent, and taking compressed bytes for text would report a misleading JSON error.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var coding = request.Headers.ContentEncoding.ToString();
        if (coding.Length > 0 && !coding.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            throw new WebApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.InvalidPayload,
                $"The Content-Encoding '{coding}' is not supported; send the body uncompressed, without a Content-Encoding header.");
        }

        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>
    /// A body is JSON: application/json, any parameters; a body without Content-Type is 415 too. Its text is UTF-8 unless
    /// a byte order mark or the charset says otherwise (UTF-16, UTF-32, ISO-8859-1, US-ASCII: what .NET reads itself),
    /// a mark first, as a .NET StreamReader reads it; an unknown charset is 415. Preamble: the mark's length.
    /// </summary>
    private static Encoding JsonEncoding(HttpRequest request, ReadOnlySpan<byte> body, out int preamble)
    {
        var contentType = request.ContentType;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || !media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw UnsupportedMediaType(contentType);
        }

        foreach (var marked in ByteOrderMarked)
        {
            if (body.StartsWith(marked.Preamble))
            {
                preamble = marked.Preamble.Length;
                return marked;
            }
        }

        preamble = 0;
        if (!media.Charset.HasValue || HeaderUtilities.RemoveQuotes(media.Charset).Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return StrictUtf8;
        }

        var charset = HeaderUtilities.RemoveQuotes(media.Charset).ToString();
        try
        {
            return Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            throw new WebApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.InvalidPayload,
                $"The charset '{charset}' of the Content-Type is not supported; send UTF-8 ('Content-Type: application/json; charset=utf-8').");
        }
    }

    // Longest mark first: UTF-32 LE's starts with UTF-16 LE's.
    private static readonly Encoding[] ByteOrderMarked =
    [
        new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true),
        new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true),
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true),
        new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
        new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
    ];

    private static WebApiException UnsupportedMediaType(string? contentType) =>
        new(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.InvalidPayload,
            contentType is null or ""
                ? "The request has a body but no Content-Type; send 'Content-Type: application/json'."
                : $"The Content-Type '{contentType}' is not supported; send 'Content-Type: application/json'.");

    /// <summary>Every name and string must be text the database can keep, and no object may name a property twice.</summary>
    internal static void CheckValues(JsonElement element, Func<string, WebApiException> fault)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var name = Text(PropertyName(property, fault), fault);
                    if (!names.Add(name))
                    {
                        throw fault(
                            $"Multiple properties with the name '{name}' were detected in an entry or a complex value. In OData, duplicate property names are not allowed.");
                    }

                    CheckValues(property.Value, fault);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CheckValues(item, fault);
                }

                break;
            case JsonValueKind.String:
                _ = Text(GetString(element, fault), fault);
                break;
        }
    }

    private static string PropertyName(JsonProperty property, Func<string, WebApiException> fault)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            throw fault("A property name is not valid Unicode text (a lone surrogate).");
        }
    }

    private static string GetString(JsonElement element, Func<string, WebApiException> fault)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses an escaped lone surrogate ("\ud800") only when the string is read.
            throw fault($"The string {element.GetRawText()} is not valid Unicode text (a lone surrogate).");
        }
    }

    private static string Text(string text, Func<string, WebApiException> fault) =>
        text.Contains('\0', StringComparison.Ordinal)
            ? throw fault("A string contains the NUL character (\\u0000), which cannot be stored.")
            : text;

    private static WebApiException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge,
            $"The request body is larger than the limit of {maxBytes} bytes.");
}
