using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.Twilio;
using Microsoft.Playwright;
using static ChannelAccounts.Admin.Tests.Infrastructure.TestData;
using static ChannelAccounts.Server.Tests.Twilio.TwilioCalls;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests;

public abstract class MessagesTests<TServer>(AdminFixture<TServer> fixture)
    where TServer : IServerFixture, IAsyncLifetime, new()
{
    private IServerFixture Server => fixture.Server;

    [Fact]
    public async Task The_latest_messages_Twilio_posted_to_an_account_are_listed_newest_first()
    {
        var account = await Server.Admin.CreateTwilioAccountAsync();
        var other = await Server.Admin.CreateTwilioAccountAsync();
        // ca_receivedon has Dataverse's one-second precision: a second apart, the order is certain.
        var failed = NewMessageSid();
        await DeliverAsync(account, StatusCallback(account, failed, "undelivered", 63016));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var hello = NewMessageSid();
        await DeliverAsync(account, InboundMessage(account, hello, "Hello"));
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var receipt = NewMessageSid();
        const string mediaUrl = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1";
        var withMedia = InboundMessage(account, receipt, "Here is the receipt");
        withMedia.RemoveAll(p => p.Key == "NumMedia");
        withMedia.AddRange([new("NumMedia", "1"), new("MediaUrl0", mediaUrl), new("MediaContentType0", "image/jpeg")]);
        await DeliverAsync(account, withMedia);
        await DeliverAsync(other, InboundMessage(other, NewMessageSid(), "Not for this account"));
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        await admin.RowButton($"Twilio {account.AccountSid[..8]}", "Messages").ClickAsync();

        var rows = admin.Page.Locator("#message-table tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0).Locator("td").Nth(3)).ToHaveTextAsync("Here is the receipt");
        await Expect(rows.Nth(0).GetByRole(AriaRole.Link, new() { Name = "image/jpeg" })).ToHaveAttributeAsync("href", mediaUrl);
        await Expect(rows.Nth(0).Locator("td").Nth(6)).ToHaveTextAsync(receipt);
        await Expect(rows.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("whatsapp:+5511999998888");
        await Expect(rows.Nth(1).Locator("td").Nth(2)).ToHaveTextAsync("Ana Lima");
        await Expect(rows.Nth(1).Locator("td").Nth(3)).ToHaveTextAsync("Hello");
        await Expect(rows.Nth(1).Locator("td").Nth(5)).ToHaveTextAsync("received");
        await Expect(rows.Nth(2).Locator("td").Nth(5)).ToHaveTextAsync("undelivered (error 63016)");
        await Expect(rows.Nth(2).Locator("td").Nth(6)).ToHaveTextAsync(failed);
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task A_media_url_that_is_not_http_or_https_is_shown_as_text_not_as_a_link()
    {
        var account = await Server.Admin.CreateTwilioAccountAsync();
        const string script = "javascript:alert(document.cookie)";
        var message = InboundMessage(account, NewMessageSid(), "Odd media");
        message.RemoveAll(p => p.Key == "NumMedia");
        message.AddRange([new("NumMedia", "2"), new("MediaUrl0", script), new("MediaContentType0", "image/png"),
            new("MediaUrl1", "https://api.twilio.com/Media/ME2"), new("MediaContentType1", "image/jpeg")]);
        await DeliverAsync(account, message);
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        await admin.RowButton($"Twilio {account.AccountSid[..8]}", "Messages").ClickAsync();

        var media = admin.Page.Locator("#message-table tbody tr").Nth(0).Locator("td").Nth(4);
        await Expect(media.Locator("a")).ToHaveCountAsync(1);
        await Expect(media.GetByRole(AriaRole.Link, new() { Name = "image/jpeg" })).ToHaveAttributeAsync("href", "https://api.twilio.com/Media/ME2");
        await Expect(media).ToContainTextAsync("image/png " + script);
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task An_account_without_messages_says_so()
    {
        var name = "Quiet " + Tag();
        await Server.Admin.CreateAccountAsync(name);
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        await admin.RowButton(name, "Messages").ClickAsync();

        await Expect(admin.Page.Locator("#no-messages")).ToBeVisibleAsync();
        await Expect(admin.Error).ToBeHiddenAsync();
        admin.AssertNoProblems();
    }

    private async Task DeliverAsync(TwilioAccount account, List<KeyValuePair<string, string?>> form)
    {
        using var response = await Server.DeliverAsync(account, form);
        await AssertEmptyTwimlAsync(response);
    }
}

[Collection(SqliteAdminFixture.Collection)]
public sealed class MessagesTestsOnSqlite(SqliteAdminFixture fixture) : MessagesTests<SqliteServerFixture>(fixture);

[Collection(PostgresAdminFixture.Collection)]
public sealed class MessagesTestsOnPostgres(PostgresAdminFixture fixture) : MessagesTests<PostgresServerFixture>(fixture);
