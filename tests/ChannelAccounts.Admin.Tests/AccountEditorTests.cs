using System.Net;
using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Admin.Tests.Infrastructure.TestData;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests;

public abstract class AccountEditorTests<TServer>(AdminFixture<TServer> fixture)
    where TServer : IServerFixture, IAsyncLifetime, new()
{
    private IServerFixture Server => fixture.Server;

    [Fact]
    public async Task Creating_an_account_stores_its_auth_token_which_the_page_never_shows()
    {
        var name = "Created " + Tag();
        var sid = NewSid();
        var secret = "token" + Guid.NewGuid().ToString("N");
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        await admin.Button("New account").ClickAsync();
        await admin.Page.GetByLabel("Name").FillAsync(name);
        await admin.Page.GetByLabel("Account SID").FillAsync(sid);
        await admin.Page.GetByLabel("Auth token").FillAsync(secret);
        await admin.Button("Save").ClickAsync();

        await Expect(admin.Notice).ToHaveTextAsync($"Created {name}.");
        await Expect(admin.Row(name).Locator("td").Nth(1)).ToHaveTextAsync(sid);
        await Expect(admin.Row(name).Locator("td").Nth(2)).ToHaveTextAsync("Active");
        await Expect(admin.Row(name).Locator("td").Nth(3)).ToHaveTextAsync("System Administrator");
        var (id, _) = await Server.AccountNamedAsync(name);
        var stored = await Server.AccountAsync(id);
        Assert.Equal(sid, stored.GetProperty("msdyn_provideraccountid").GetString());
        Assert.Equal(secret, stored.GetProperty("msdyn_authenticationtoken").GetString());
        // The server generated the inbound URL to paste into Twilio; the list shows it.
        var inboundUrl = stored.GetProperty("msdyn_twilioinboundurl").GetString()!;
        Assert.EndsWith($"/twilio/whatsapp/{id}/inbound", inboundUrl);
        await Expect(admin.Row(name).Locator("td.url code")).ToHaveTextAsync(inboundUrl);

        // Never read back: no request selects it, the editor opens with an empty field, the page holds no copy.
        await admin.RowButton(name, "Edit").ClickAsync();
        await Expect(admin.Page.GetByLabel("Name")).ToHaveValueAsync(name);
        await Expect(admin.Page.GetByLabel("Auth token")).ToHaveValueAsync("");
        Assert.DoesNotContain(admin.RequestUrls, url => url.Contains("authenticationtoken", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(secret, await admin.Page.ContentAsync());
        Assert.DoesNotContain(secret, await admin.Page.EvaluateAsync<string>("document.body.innerText"));
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task Editing_with_the_token_field_left_empty_keeps_the_stored_token_and_a_new_one_replaces_it()
    {
        var name = "Edited " + Tag();
        var id = await Server.Admin.CreateAccountAsync(name, "\"msdyn_authenticationtoken\":\"first-token\"");
        var newSid = NewSid();
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        await admin.RowButton(name, "Edit").ClickAsync();
        await Expect(admin.Page.GetByLabel("Account SID")).ToHaveValueAsync(Sid);
        await admin.Page.GetByLabel("Name").FillAsync(name + " renamed");
        await admin.Page.GetByLabel("Account SID").FillAsync(newSid);
        await admin.Button("Save").ClickAsync();

        await Expect(admin.Row(name + " renamed").Locator("td").Nth(1)).ToHaveTextAsync(newSid);
        var stored = await Server.AccountAsync(id);
        Assert.Equal(name + " renamed", stored.GetProperty("msdyn_name").GetString());
        Assert.Equal("first-token", stored.GetProperty("msdyn_authenticationtoken").GetString());

        await admin.RowButton(name + " renamed", "Edit").ClickAsync();
        await admin.Page.GetByLabel("Auth token").FillAsync("second-token");
        await admin.Button("Save").ClickAsync();

        await Expect(admin.Notice).ToHaveTextAsync($"Saved {name} renamed.");
        Assert.Equal("second-token", (await Server.AccountAsync(id)).GetProperty("msdyn_authenticationtoken").GetString());
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task A_bad_account_sid_is_refused_with_the_servers_message_and_nothing_is_created()
    {
        var name = "Bad SID " + Tag();
        using var direct = await Server.Admin.SendAsync(HttpMethod.Post, WebApiCalls.Accounts, $$"""{"msdyn_name":"{{name}}","msdyn_provideraccountid":"AC123"}""");
        var (_, expected) = await direct.ErrorAsync(HttpStatusCode.BadRequest);
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        await admin.Button("New account").ClickAsync();
        await admin.Page.GetByLabel("Name").FillAsync(name);
        await admin.Page.GetByLabel("Account SID").FillAsync("AC123");
        await admin.Button("Save").ClickAsync();

        await admin.ExpectErrorAsync(expected);
        await Expect(admin.Error).ToContainTextAsync("HTTP 400");
        await Expect(admin.Page.GetByLabel("Account SID")).ToHaveValueAsync("AC123"); // the form stays open to fix it
        var found = await Server.Admin.GetJsonAsync($"{WebApiCalls.Accounts}?$filter=msdyn_name eq '{name}'");
        Assert.Empty(found.GetProperty("value").EnumerateArray());
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task A_save_over_a_change_made_meanwhile_shows_the_servers_412_message_and_changes_nothing()
    {
        var name = "Raced " + Tag();
        var id = await Server.Admin.CreateAccountAsync(name);
        var staleEtag = (await Server.AccountAsync(id)).GetProperty("@odata.etag").GetString()!;
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);
        await admin.RowButton(name, "Edit").ClickAsync();
        await Expect(admin.Page.GetByLabel("Name")).ToHaveValueAsync(name);

        using var meanwhile = await Server.Admin.SendAsync(HttpMethod.Patch, $"{WebApiCalls.Accounts}({id})", $$"""{"msdyn_name":"{{name}} elsewhere"}""");
        Assert.Equal(HttpStatusCode.NoContent, meanwhile.StatusCode);
        using var replay = await Server.Admin.SendAsync(HttpMethod.Patch, $"{WebApiCalls.Accounts}({id})", """{"msdyn_name":"x"}""", ("If-Match", staleEtag));
        var (_, expected) = await replay.ErrorAsync(HttpStatusCode.PreconditionFailed);
        await admin.Page.GetByLabel("Name").FillAsync(name + " here");
        await admin.Button("Save").ClickAsync();

        await admin.ExpectErrorAsync(expected);
        await Expect(admin.Error).ToContainTextAsync("HTTP 412");
        Assert.Equal(name + " elsewhere", (await Server.AccountAsync(id)).GetProperty("msdyn_name").GetString());
        admin.AssertNoProblems();
    }
}

[Collection(SqliteAdminFixture.Collection)]
public sealed class AccountEditorTestsOnSqlite(SqliteAdminFixture fixture) : AccountEditorTests<SqliteServerFixture>(fixture);

[Collection(PostgresAdminFixture.Collection)]
public sealed class AccountEditorTestsOnPostgres(PostgresAdminFixture fixture) : AccountEditorTests<PostgresServerFixture>(fixture);
