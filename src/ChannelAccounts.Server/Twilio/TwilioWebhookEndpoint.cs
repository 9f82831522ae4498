using System.Text;
using System.Text.Json;
using ChannelAccounts.Engine.Twilio;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace ChannelAccounts.Server.Twilio;

/// <summary>
/// POST /twilio/whatsapp/{accountid}/inbound: where Twilio delivers an account's WhatsApp messages and status
/// callbacks. No bearer token (Twilio has none); the engine checks the signature. Reads the body as Twilio sent it
/// (form pairs in order, case-sensitive names; a JSON body as raw bytes) and answers 200 with empty TwiML.
/// </summary>
public static class TwilioWebhookEndpoint
{
    public const string Route = "/twilio/whatsapp/{accountid}/inbound";

    /// <summary>An empty TwiML response: Twilio sends nothing back to the customer (text/plain would be sent as a reply).</summary>
    public const string EmptyTwiml = """<?xml version="1.0" encoding="UTF-8"?><Response/>""";

    /// <summary>Twilio sends a few dozen fields; FormReader's own default for a whole form.</summary>
    private const int MaxFields = FormReader.DefaultValueCountLimit;

    public static void Map(WebApplication app) => app.MapPost(Route, HandleAsync);

    private static async Task HandleAsync(HttpContext http, TwilioWebhook webhook, ServerOptions options, ILogger<TwilioWebhook> logger)
    {
        // Twilio's posts are small; a larger body is refused with 413 while it is read.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxRequestBodyBytes;
        }

        if (!Guid.TryParse(http.GetRouteValue("accountid") as string, out var accountId))
        {
            await RefuseAsync(http, logger, "(not an id)", "the path does not name an account id");
            return;
        }

        TwilioWebhookRequest? request;
        try
        {
            request = await ReadAsync(http);
        }
        catch (InvalidDataException e)
        {
            // FormReader's limits (fields, key and value lengths): far beyond anything Twilio sends.
            await ErrorWriter.WriteAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.InvalidArgument, $"The form cannot be read: {e.Message}");
            return;
        }

        if (request is null)
        {
            await ErrorWriter.WriteAsync(http, StatusCodes.Status415UnsupportedMediaType, ErrorCodes.InvalidArgument,
                "Twilio webhooks are posted as application/x-www-form-urlencoded (or application/json with bodySHA256 in the URL).");
            return;
        }

        var result = await webhook.ReceiveAsync(accountId, request, http.RequestAborted);
        switch (result.Outcome)
        {
            case TwilioWebhookOutcome.Stored:
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "text/xml; charset=utf-8";
                await http.Response.WriteAsync(EmptyTwiml, http.RequestAborted);
                return;
            case TwilioWebhookOutcome.Invalid:
                await ErrorWriter.WriteAsync(http, StatusCodes.Status400BadRequest, ErrorCodes.InvalidArgument, result.Reason);
                return;
            default:
                await RefuseAsync(http, logger, accountId.ToString(), result.Reason);
                return;
        }
    }

    /// <summary>403 with nothing stored. The log says why for the admin; it never holds the token or the signature.</summary>
    private static async Task RefuseAsync(HttpContext http, ILogger logger, string? account, string reason)
    {
        logger.LogWarning("Refused a Twilio webhook request for account {Account}: {Reason}", account, reason);
        await ErrorWriter.WriteAsync(http, StatusCodes.Status403Forbidden, ErrorCodes.AccessDenied,
            "The request is not a Twilio request for this account: it needs a valid X-Twilio-Signature over the account's " +
            "msdyn_twilioinboundurl made with its auth token, and the account's AccountSid, and the account must be active.");
    }

    /// <summary>The parameters and signature of the request; null for a body that is neither a form nor JSON.</summary>
    private static async Task<TwilioWebhookRequest?> ReadAsync(HttpContext http)
    {
        var signature = http.Request.Headers["X-Twilio-Signature"].ToString();
        var contentType = http.Request.ContentType ?? "";
        if (contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var pairs = new List<KeyValuePair<string, string?>>();
            using var reader = new FormReader(http.Request.Body, Encoding.UTF8);
            while (await reader.ReadNextPairAsync(http.RequestAborted) is { } pair)
            {
                // ReadNextPairAsync checks key and value lengths but not the count, which ReadFormAsync would.
                if (pairs.Count == MaxFields)
                {
                    throw new InvalidDataException($"The form has more than {MaxFields} fields.");
                }

                pairs.Add(new(pair.Key, pair.Value));
            }

            return new TwilioWebhookRequest { Parameters = pairs, Signature = signature };
        }

        if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            var body = buffer.ToArray();
            return new TwilioWebhookRequest
            {
                Parameters = JsonParameters(body),
                Signature = signature,
                JsonBody = body,
                BodySha256 = http.Request.Query[TwilioSignature.BodySha256Parameter].LastOrDefault(),
            };
        }

        return null;
    }

    /// <summary>The top-level properties of a JSON object as parameters (strings as such, anything else as its JSON text).</summary>
    private static List<KeyValuePair<string, string?>> JsonParameters(byte[] body)
    {
        var parameters = new List<KeyValuePair<string, string?>>();
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    parameters.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText()));
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string no text can hold (a lone surrogate escape, "\ud800"): no parameters. The signature
            // still decides; a signed request without MessageSid is a 400.
        }

        return parameters;
    }
}
