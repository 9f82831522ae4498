using System.Net;
using System.Text;
using ChannelAccounts.Engine.Twilio;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Testing;
using Microsoft.Extensions.Logging;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.Twilio.TwilioCalls;

namespace ChannelAccounts.Server.Tests.Twilio;

/// <summary>POST /twilio/whatsapp/{accountid}/inbound: Twilio's signature is the authentication; anything else is refused with nothing stored.</summary>
public abstract class TwilioWebhookTests(IServerFixture server)
{
    [Fact]
    public async Task The_research_notes_WhatsApp_vector_is_accepted_as_posted_on_the_wire_in_both_port_forms()
    {
        const string sid = "SM11111111111111111111111111111111";
        var body = $"SmsMessageSid={sid}&NumMedia=0&ProfileName=Ana+Lima&MessageType=text&SmsSid={sid}&WaId=5511999998888&SmsStatus=received" +
                   "&Body=Ol%C3%A1%2C+preciso+de+ajuda+%F0%9F%98%80&To=whatsapp%3A%2B14155238886&NumSegments=1&ReferralNumMedia=0" +
                   $"&MessageSid={sid}&AccountSid=AC00000000000000000000000000000000&From=whatsapp%3A%2B5511999998888&ApiVersion=2010-04-01";
        using var create = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            """{"msdyn_name":"Vector","msdyn_provideraccountid":"AC00000000000000000000000000000000","msdyn_authenticationtoken":"0123456789abcdef0123456789abcdef","msdyn_twilioinboundurl":"https://contoso.example/api/whatsapp/twilio/inbound?channel=wa1"}""");
        var id = IdFromEntityUri(create.Headers.GetValues("OData-EntityId").Single());

        async Task<HttpResponseMessage> PostAsync(string signature)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl(server, id))
            {
                Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
            request.Headers.Add("X-Twilio-Signature", signature);
            return await http.SendAsync(request);
        }

        using var first = await PostAsync("dy4tad+Bm5Xdr6tioOH2geU1MSQ=");
        using var withPort = await PostAsync("uia79ktB4lOOoaSk1x1V2AVgFX4=");
        using var forged = await PostAsync("dy4tad+Bm5Xdr6tioOH2geU1MSq=");

        await AssertEmptyTwimlAsync(first);
        await AssertEmptyTwimlAsync(withPort);
        await forged.ErrorAsync(HttpStatusCode.Forbidden);
        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal("Olá, preciso de ajuda 😀", message.GetProperty("ca_body").GetString());
        Assert.Equal(id, message.GetProperty("_ca_whatsappaccountid_value").GetGuid());
    }

    [Fact]
    public async Task Webhook_refuses_a_forged_signature_and_stores_nothing()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();
        var form = InboundMessage(account, sid);
        var forged = TwilioSignature.Compute("not-the-token", account.InboundUrl, form);

        using var response = await server.DeliverAsync(account, form, signature: forged);

        await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_refuses_a_request_without_signature_and_stores_nothing()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();

        using var response = await server.DeliverAsync(account, InboundMessage(account, sid), signature: (string?)null);

        await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_refuses_a_body_changed_after_signing()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();
        var signature = TwilioSignature.Compute(account.AuthToken, account.InboundUrl, InboundMessage(account, sid));

        using var response = await server.DeliverAsync(account, InboundMessage(account, sid, "Send the money to me"), signature: signature);

        await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_refuses_a_signature_over_a_stale_inbound_url()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        using (var update = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({account.Id})",
                   """{"msdyn_twilioinboundurl":"https://wa.contoso.example/twilio/whatsapp/moved/inbound"}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, update.StatusCode);
        }

        var sid = NewMessageSid();
        // Twilio still signs with the URL pasted before the change; the request itself goes to this server.
        using var response = await server.DeliverAsync(account, InboundMessage(account, sid), signedUrl: account.InboundUrl);

        await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_checks_the_stored_inbound_url_not_the_url_it_was_reached_at()
    {
        // Behind a proxy: Twilio calls (and signs) the public https address; the request arrives on plain http here.
        var account = await server.Admin.CreateTwilioAccountAsync("\"msdyn_twilioinboundurl\":\"https://wa.contoso.example/hooks/whatsapp?channel=wa1\"");
        var sid = NewMessageSid();

        using var response = await server.DeliverAsync(account, InboundMessage(account, sid));

        await AssertEmptyTwimlAsync(response);
        Assert.Single(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_accepts_the_signature_over_either_port_form_of_the_stored_url()
    {
        var account = await server.Admin.CreateTwilioAccountAsync("\"msdyn_twilioinboundurl\":\"https://wa.contoso.example/hooks/whatsapp\"");
        var withPort = InboundMessage(account, NewMessageSid());
        var withoutPort = InboundMessage(account, NewMessageSid());

        using var first = await server.DeliverAsync(account, withPort, signedUrl: "https://wa.contoso.example:443/hooks/whatsapp");
        using var second = await server.DeliverAsync(account, withoutPort, signedUrl: "https://wa.contoso.example/hooks/whatsapp");
        using var wrongPort = await server.DeliverAsync(account, InboundMessage(account, NewMessageSid()), signedUrl: "https://wa.contoso.example:8443/hooks/whatsapp");

        await AssertEmptyTwimlAsync(first);
        await AssertEmptyTwimlAsync(second);
        await wrongPort.ErrorAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Webhook_refuses_an_AccountSid_that_is_not_the_accounts()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();
        var form = InboundMessage(account with { AccountSid = NewAccountSid() }, sid);

        using var response = await server.DeliverAsync(account, form);

        await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_refuses_an_inactive_account()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        using (var deactivate = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({account.Id})", """{"statecode":1,"statuscode":2}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, deactivate.StatusCode);
        }

        var sid = NewMessageSid();
        using var response = await server.DeliverAsync(account, InboundMessage(account, sid));

        await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_refuses_an_unknown_account_and_a_path_that_is_no_id()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();

        using var unknown = await server.DeliverAsync(account, InboundMessage(account, sid), postUrl: WebhookUrl(server, Guid.NewGuid()).ToString());
        using var notAnId = await server.DeliverAsync(account, InboundMessage(account, sid), postUrl: new Uri(server.Root, "twilio/whatsapp/contoso/inbound").ToString());

        await unknown.ErrorAsync(HttpStatusCode.Forbidden);
        await notAnId.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));
    }

    [Fact]
    public async Task Webhook_refuses_an_account_without_auth_token()
    {
        var sid = NewAccountSid();
        using var create = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $"{{\"msdyn_name\":\"No token\",\"msdyn_provideraccountid\":\"{sid}\"}}");
        var id = IdFromEntityUri(create.Headers.GetValues("OData-EntityId").Single());
        var url = (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_twilioinboundurl")).GetProperty("msdyn_twilioinboundurl").GetString()!;
        var account = new TwilioAccount(id, sid, "", url);
        var message = NewMessageSid();
        var form = InboundMessage(account, message);

        using var response = await server.DeliverAsync(account, form, signature: TwilioSignature.Compute("", url, form));

        await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(message));
    }

    [Fact]
    public async Task A_json_webhook_is_checked_through_bodySHA256()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();
        var body = Encoding.UTF8.GetBytes($$"""{"MessageSid":"{{sid}}","AccountSid":"{{account.AccountSid}}","Body":"json","MessageStatus":"sent"}""");
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        var signature = TwilioSignature.Compute(account.AuthToken, SignedUrl.AppendQuery(account.InboundUrl, "bodySHA256", hash), []);

        async Task<HttpResponseMessage> PostAsync(byte[] content)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl(server, account.Id) + "?bodySHA256=" + hash)
            {
                Content = new ByteArrayContent(content) { Headers = { ContentType = new("application/json") } },
            };
            request.Headers.Add("X-Twilio-Signature", signature);
            return await http.SendAsync(request);
        }

        using var tampered = await PostAsync([.. body, (byte)' ']);
        await tampered.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await server.MessagesAsync(sid));

        using var response = await PostAsync(body);
        await AssertEmptyTwimlAsync(response);
        Assert.Equal("sent", Assert.Single(await server.MessagesAsync(sid)).GetProperty("ca_messagestatus").GetString());
    }

    [Theory]
    [InlineData("""{"MessageSid":"\ud800","Body":"x"}""")]
    [InlineData("""{"\udc00":"x"}""")]
    public async Task A_json_webhook_with_a_lone_surrogate_escape_is_refused_not_a_500(string json)
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var body = Encoding.UTF8.GetBytes(json);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(body));
        using var http = new HttpClient();

        async Task<HttpResponseMessage> PostAsync(string signature)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl(server, account.Id) + "?bodySHA256=" + hash)
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            };
            request.Headers.Add("X-Twilio-Signature", signature);
            return await http.SendAsync(request);
        }

        // No text holds a lone surrogate: the body has no parameters, so not the account's AccountSid either.
        using var signed = await PostAsync(TwilioSignature.Compute(account.AuthToken, SignedUrl.AppendQuery(account.InboundUrl, "bodySHA256", hash), []));
        using var forged = await PostAsync(TwilioSignature.Compute("not-the-token", SignedUrl.AppendQuery(account.InboundUrl, "bodySHA256", hash), []));

        await signed.ErrorAsync(HttpStatusCode.Forbidden);
        await forged.ErrorAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_log_says_why_a_request_was_refused_and_never_holds_the_token_or_the_signature()
    {
        var logs = new CapturedLogs();
        await using var logged = await RunningServer.StartAsync(server.Store, configure: builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        });
        var account = await server.Admin.CreateTwilioAccountAsync();
        var form = InboundMessage(account, NewMessageSid());
        var valid = TwilioSignature.Compute(account.AuthToken, account.InboundUrl, form);
        var forged = TwilioSignature.Compute(account.AuthToken + "x", account.InboundUrl, form);
        var url = new Uri(logged.Root, $"twilio/whatsapp/{account.Id}/inbound").ToString();

        using var refused = await server.DeliverAsync(account, form, signature: forged, postUrl: url);
        using var accepted = await server.DeliverAsync(account, form, signature: valid, postUrl: url);

        await refused.ErrorAsync(HttpStatusCode.Forbidden);
        await AssertEmptyTwimlAsync(accepted);
        Assert.Contains(logs.Lines, l => l.Contains("signature does not match", StringComparison.Ordinal) && l.Contains(account.Id.ToString(), StringComparison.Ordinal));
        foreach (var secret in new[] { account.AuthToken, valid, forged })
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}

public sealed class TwilioWebhookTestsOnSqlite(SqliteServerFixture server) : TwilioWebhookTests(server), IClassFixture<SqliteServerFixture>;

public sealed class TwilioWebhookTestsOnPostgres(PostgresServerFixture server) : TwilioWebhookTests(server), IClassFixture<PostgresServerFixture>;
