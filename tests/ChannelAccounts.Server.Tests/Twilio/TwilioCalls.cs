using System.Globalization;
using System.Net;
using System.Text.Json;
using ChannelAccounts.Engine.Twilio;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Twilio;

/// <summary>An account as Twilio knows it: its record id, Account SID, auth token and the inbound URL the server stored.</summary>
public sealed record TwilioAccount(Guid Id, string AccountSid, string AuthToken, string InboundUrl);

/// <summary>What Twilio does to the server, in the tests' words: post a signed WhatsApp message or status callback.</summary>
public static class TwilioCalls
{
    public const string Messages = "ca_whatsappmessages";

    public static string NewAccountSid() => "AC" + Guid.NewGuid().ToString("N");

    public static string NewMessageSid() => "SM" + Guid.NewGuid().ToString("N");

    /// <summary>Creates an account with its own SID and token (through the given client) and reads back its inbound URL.</summary>
    public static async Task<TwilioAccount> CreateTwilioAccountAsync(this HttpClient client, string? extraJson = null)
    {
        var sid = NewAccountSid();
        var token = Guid.NewGuid().ToString("N");
        var body = $"{{\"msdyn_name\":\"Twilio {sid[..8]}\",\"msdyn_provideraccountid\":\"{sid}\",\"msdyn_authenticationtoken\":\"{token}\"{(extraJson is null ? "" : "," + extraJson)}}}";
        using var response = await client.SendAsync(HttpMethod.Post, Accounts, body);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var id = IdFromEntityUri(response.Headers.GetValues("OData-EntityId").Single());
        var record = await client.GetJsonAsync($"{Accounts}({id})?$select=msdyn_twilioinboundurl");
        return new TwilioAccount(id, sid, token, record.GetProperty("msdyn_twilioinboundurl").GetString()!);
    }

    /// <summary>The form Twilio posts for an inbound WhatsApp message (research note §2.1).</summary>
    public static List<KeyValuePair<string, string?>> InboundMessage(TwilioAccount account, string messageSid, string body = "Olá, preciso de ajuda 😀") =>
    [
        new("SmsMessageSid", messageSid),
        new("NumMedia", "0"),
        new("ProfileName", "Ana Lima"),
        new("MessageType", "text"),
        new("SmsSid", messageSid),
        new("WaId", "5511999998888"),
        new("SmsStatus", "received"),
        new("Body", body),
        new("To", "whatsapp:+14155238886"),
        new("NumSegments", "1"),
        new("ReferralNumMedia", "0"),
        new("MessageSid", messageSid),
        new("AccountSid", account.AccountSid),
        new("From", "whatsapp:+5511999998888"),
        new("ApiVersion", "2010-04-01"),
    ];

    /// <summary>The form of a status callback of an outbound message (research note §2.2).</summary>
    public static List<KeyValuePair<string, string?>> StatusCallback(TwilioAccount account, string messageSid, string status, int? errorCode = null)
    {
        List<KeyValuePair<string, string?>> form =
        [
            new("MessageSid", messageSid),
            new("SmsSid", messageSid),
            new("MessageStatus", status),
            new("SmsStatus", status),
            new("AccountSid", account.AccountSid),
            new("From", "whatsapp:+14155238886"),
            new("To", "whatsapp:+5511999998888"),
            new("ChannelPrefix", "whatsapp"),
            new("ApiVersion", "2010-04-01"),
        ];
        if (errorCode is { } code)
        {
            form.Add(new("ErrorCode", code.ToString(CultureInfo.InvariantCulture)));
        }

        return form;
    }

    /// <summary>
    /// Posts a form to the account's inbound URL as Twilio would: signed with the account's token over signedUrl (the
    /// stored inbound URL unless told otherwise), or with the given signature (null: no header at all).
    /// </summary>
    public static async Task<HttpResponseMessage> DeliverAsync(this IServerFixture server, TwilioAccount account,
        IReadOnlyList<KeyValuePair<string, string?>> form, string? signedUrl = null, Optional<string?> signature = default, string? postUrl = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, postUrl ?? WebhookUrl(server, account.Id).ToString())
        {
            Content = new FormUrlEncodedContent(form.Select(p => new KeyValuePair<string, string>(p.Key, p.Value ?? ""))),
        };
        var header = signature.IsSet ? signature.Value : TwilioSignature.Compute(account.AuthToken, signedUrl ?? account.InboundUrl, form);
        if (header is not null)
        {
            request.Headers.Add("X-Twilio-Signature", header);
        }

        return await http.SendAsync(request);
    }

    /// <summary>The webhook of an account on this test server (the stored inbound URL may name another host).</summary>
    public static Uri WebhookUrl(IServerFixture server, Guid accountId) => new(server.Root, $"twilio/whatsapp/{accountId}/inbound");

    /// <summary>Asserts Twilio's success answer: 200 text/xml with an empty TwiML Response.</summary>
    public static async Task AssertEmptyTwimlAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {text}");
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""<?xml version="1.0" encoding="UTF-8"?><Response/>""", text);
    }

    /// <summary>The stored messages of one MessageSid, as the admin reads them.</summary>
    public static async Task<JsonElement[]> MessagesAsync(this IServerFixture server, string messageSid)
    {
        var page = await server.Admin.GetJsonAsync($"{Messages}?$filter=ca_messagesid eq '{messageSid}'");
        return [.. page.GetProperty("value").EnumerateArray()];
    }
}

/// <summary>A parameter that can be left out (default), or given, null included.</summary>
public readonly record struct Optional<T>(T Value)
{
    public bool IsSet { get; } = true;

    public static implicit operator Optional<T>(T value) => new(value);
}
