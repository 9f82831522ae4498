using System.Text.Encodings.Web;
using System.Text.Json;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>How every response body is written: plain UTF-8 without HTML escaping (apostrophes stay apostrophes), as Dataverse writes.</summary>
public static class JsonOutput
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Utf8JsonWriter Writer(Stream body) => new(body, Options);
}
