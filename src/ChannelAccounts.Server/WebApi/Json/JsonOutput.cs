using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>How every response body is written: plain UTF-8 without HTML escaping (apostrophes stay apostrophes), as Dataverse writes.</summary>
public static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Writer(Stream body) => new(body, Options);

    /// <summary>
    /// Writes a small body (one record, WhoAmI) in one piece with its Content-Length, so Kestrel sends headers and
    /// body in one write at the end of the request; a flushed stream without a length goes out chunked, in two.
    /// </summary>
    public static async Task WriteAsync(HttpResponse response, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        await using var body = new JsonBody(response);
        write(body.Writer);
        await body.CompleteAsync(cancellationToken);
    }
}
