using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.Twilio.TwilioCalls;

namespace ChannelAccounts.Server.Tests.Twilio;

/// <summary>What the webhook stores: the message once per account and MessageSid however often or concurrently it comes, statuses in any order.</summary>
public abstract class WebhookDeliveryTests(IServerFixture server)
{
    [Fact]
    public async Task Webhook_stores_a_signed_message_and_answers_empty_twiml()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();

        using var response = await server.DeliverAsync(account, InboundMessage(account, sid));

        await AssertEmptyTwimlAsync(response);
        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal(account.Id, message.GetProperty("_ca_whatsappaccountid_value").GetGuid());
        Assert.Equal("whatsapp:+5511999998888", message.GetProperty("ca_from").GetString());
        Assert.Equal("whatsapp:+14155238886", message.GetProperty("ca_to").GetString());
        Assert.Equal("5511999998888", message.GetProperty("ca_waid").GetString());
        Assert.Equal("Ana Lima", message.GetProperty("ca_profilename").GetString());
        Assert.Equal("Olá, preciso de ajuda 😀", message.GetProperty("ca_body").GetString());
        Assert.Equal(0, message.GetProperty("ca_nummedia").GetInt32());
        Assert.Equal("received", message.GetProperty("ca_messagestatus").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, message.GetProperty("ca_errorcode").ValueKind);
        Assert.True(DateTimeOffset.UtcNow - message.GetProperty("ca_receivedon").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Webhook_stores_a_message_with_NUL_characters_without_them_and_never_cuts_an_emoji_in_half()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();
        var form = InboundMessage(account, sid, "nul\0here\0");
        form.RemoveAll(p => p.Key == "ProfileName");
        form.Add(new("ProfileName", new string('a', 254) + "😀")); // 256 UTF-16 units: a cut at 255 would split the pair

        using var response = await server.DeliverAsync(account, form);

        await AssertEmptyTwimlAsync(response); // PostgreSQL's text cannot hold NUL: it was a 500, which Twilio retries
        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal("nulhere", message.GetProperty("ca_body").GetString());
        Assert.Equal(new string('a', 254), message.GetProperty("ca_profilename").GetString());
    }

    [Fact]
    public async Task Webhook_stores_media_as_one_content_type_and_url_per_line()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = "MM" + Guid.NewGuid().ToString("N");
        var form = InboundMessage(account, sid, "");
        form.RemoveAll(p => p.Key == "NumMedia");
        form.AddRange([
            new("NumMedia", "2"),
            new("MediaContentType0", "image/jpeg"),
            new("MediaUrl0", $"https://api.twilio.com/2010-04-01/Accounts/{account.AccountSid}/Messages/{sid}/Media/ME1"),
            new("MediaContentType1", "application/pdf"),
            new("MediaUrl1", $"https://api.twilio.com/2010-04-01/Accounts/{account.AccountSid}/Messages/{sid}/Media/ME2"),
        ]);

        using var response = await server.DeliverAsync(account, form);

        await AssertEmptyTwimlAsync(response);
        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal(2, message.GetProperty("ca_nummedia").GetInt32());
        Assert.Equal($"image/jpeg https://api.twilio.com/2010-04-01/Accounts/{account.AccountSid}/Messages/{sid}/Media/ME1\n" +
                     $"application/pdf https://api.twilio.com/2010-04-01/Accounts/{account.AccountSid}/Messages/{sid}/Media/ME2",
            message.GetProperty("ca_mediaurls").GetString());
    }

    [Fact]
    public async Task Webhook_with_a_negative_NumMedia_stores_the_message_without_media()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = "MM" + Guid.NewGuid().ToString("N");
        var form = InboundMessage(account, sid, "");
        form.RemoveAll(p => p.Key == "NumMedia");
        form.AddRange([new("NumMedia", "-5"), new("MediaUrl0", "https://api.twilio.com/media/ME1")]);

        using var response = await server.DeliverAsync(account, form);

        await AssertEmptyTwimlAsync(response);
        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, message.GetProperty("ca_nummedia").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, message.GetProperty("ca_mediaurls").ValueKind);
    }

    [Fact]
    public async Task Webhook_stores_a_replayed_MessageSid_once()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();

        for (var i = 0; i < 3; i++)
        {
            using var response = await server.DeliverAsync(account, InboundMessage(account, sid));
            await AssertEmptyTwimlAsync(response);
        }

        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal("received", message.GetProperty("ca_messagestatus").GetString());
    }

    [Fact]
    public async Task A_MessageSid_another_account_stored_is_stored_for_this_account_too_and_once()
    {
        var first = await server.Admin.CreateTwilioAccountAsync();
        var second = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();
        using (var stored = await server.DeliverAsync(first, InboundMessage(first, sid, "to the first")))
        {
            await AssertEmptyTwimlAsync(stored);
        }

        for (var i = 0; i < 2; i++)
        {
            using var response = await server.DeliverAsync(second, InboundMessage(second, sid, "to the second"));
            await AssertEmptyTwimlAsync(response);
        }

        var messages = await server.MessagesAsync(sid);
        Assert.Equal(2, messages.Length);
        Assert.Equal("to the first", Assert.Single(messages, m => m.GetProperty("_ca_whatsappaccountid_value").GetGuid() == first.Id).GetProperty("ca_body").GetString());
        Assert.Equal("to the second", Assert.Single(messages, m => m.GetProperty("_ca_whatsappaccountid_value").GetGuid() == second.Id).GetProperty("ca_body").GetString());
    }

    [Fact]
    public async Task Webhook_stores_twenty_concurrent_deliveries_of_one_message_once()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => server.DeliverAsync(account, InboundMessage(account, sid))));

        foreach (var response in responses)
        {
            await AssertEmptyTwimlAsync(response);
            response.Dispose();
        }

        Assert.Single(await server.MessagesAsync(sid));
        using var count = await server.Admin.SendAsync(HttpMethod.Get, $"{Messages}/$count?$filter=_ca_whatsappaccountid_value eq {account.Id}");
        Assert.Equal("1", (await count.Content.ReadAsStringAsync()).Trim('\uFEFF', ' '));
    }

    [Fact]
    public async Task Status_callbacks_keep_the_most_advanced_status_whatever_their_order()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();

        // The first callback creates the row; a late "sent" and "delivered" after "read" change nothing.
        foreach (var status in new[] { "delivered", "read", "sent", "delivered" })
        {
            using var response = await server.DeliverAsync(account, StatusCallback(account, sid, status));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal("read", message.GetProperty("ca_messagestatus").GetString());
        Assert.Equal("whatsapp:+14155238886", message.GetProperty("ca_from").GetString());
    }

    [Fact]
    public async Task A_failed_status_is_final_and_keeps_its_error_code()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();

        foreach (var (status, error) in new[] { ("sent", (int?)null), ("failed", 63016), ("delivered", null), ("read", null) })
        {
            using var response = await server.DeliverAsync(account, StatusCallback(account, sid, status, error));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var message = Assert.Single(await server.MessagesAsync(sid));
        Assert.Equal("failed", message.GetProperty("ca_messagestatus").GetString());
        Assert.Equal(63016, message.GetProperty("ca_errorcode").GetInt32());
    }

    [Fact]
    public async Task Concurrent_status_callbacks_store_one_row_with_the_most_advanced_status()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var sid = NewMessageSid();
        string[] statuses = ["sent", "delivered", "read", "sent", "delivered", "read", "queued", "sending"];

        var responses = await Task.WhenAll(statuses.Select(s => server.DeliverAsync(account, StatusCallback(account, sid, s))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Array.ForEach(responses, r => r.Dispose());
        Assert.Equal("read", Assert.Single(await server.MessagesAsync(sid)).GetProperty("ca_messagestatus").GetString());
    }

    [Fact]
    public async Task A_form_beyond_the_readers_limits_is_a_400_not_a_500()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var form = InboundMessage(account, NewMessageSid());
        form.AddRange(Enumerable.Range(0, 1100).Select(i => new KeyValuePair<string, string?>($"Extra{i}", "x")));

        using var response = await server.DeliverAsync(account, form);

        await response.ErrorAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_signed_request_without_MessageSid_is_a_400()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();
        var form = InboundMessage(account, NewMessageSid());
        form.RemoveAll(p => p.Key == "MessageSid");

        using var response = await server.DeliverAsync(account, form);

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("MessageSid", message, StringComparison.Ordinal);
    }
}

public sealed class WebhookDeliveryTestsOnSqlite(SqliteServerFixture server) : WebhookDeliveryTests(server), IClassFixture<SqliteServerFixture>;

public sealed class WebhookDeliveryTestsOnPostgres(PostgresServerFixture server) : WebhookDeliveryTests(server), IClassFixture<PostgresServerFixture>;
