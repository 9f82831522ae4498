using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Admin.Tests.Infrastructure.TestData;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests;

public abstract class AccountListTests<TServer>(AdminFixture<TServer> fixture)
    where TServer : IServerFixture, IAsyncLifetime, new()
{
    private IServerFixture Server => fixture.Server;

    [Fact]
    public async Task The_list_shows_name_sid_status_owner_and_inbound_url_which_the_copy_button_copies()
    {
        var name = "Listed " + Tag();
        const string url = "https://whatsapp.example.test/twilio/whatsapp/listed/inbound";
        await Server.Admin.CreateAccountAsync(name, $"\"msdyn_twilioinboundurl\":\"{url}\",\"ownerid@odata.bind\":\"/teams({fixture.Team})\"");
        await using var admin = await fixture.OpenAsync();

        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        var cells = admin.Row(name).Locator("td");
        await Expect(cells.Nth(1)).ToHaveTextAsync(Sid);
        await Expect(cells.Nth(2)).ToHaveTextAsync("Active");
        await Expect(cells.Nth(3)).ToHaveTextAsync(fixture.TeamName);
        await Expect(cells.Nth(4).Locator("code")).ToHaveTextAsync(url);
        await admin.RowButton(name, "Copy").ClickAsync();
        await Expect(admin.Row(name).GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        Assert.Equal(url, await admin.Page.EvaluateAsync<string>("navigator.clipboard.readText()"));
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task Pages_follow_the_next_link_and_previous_goes_back()
    {
        var tag = Tag();
        var pager = await Principals.AddUserAsync(Server.Store, "Pat", "Pager" + tag, Server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(Server.Store, pager, SecurityCatalog.BasicUserRoleId);
        for (var i = 1; i <= 7; i++)
        {
            await Server.Admin.CreateAccountAsync($"Page {tag} {i}", $"\"ownerid@odata.bind\":\"/systemusers({pager})\"");
        }

        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.Token(pager), "Pat Pager" + tag, pageSize: 5);

        var names = admin.Rows.Locator("td.name");
        await Expect(names).ToHaveTextAsync(Enumerable.Range(1, 5).Select(i => $"Page {tag} {i}"));
        await admin.Button("Next page").ClickAsync();
        await Expect(names).ToHaveTextAsync([$"Page {tag} 6", $"Page {tag} 7"]);
        await Expect(admin.Page.Locator("#page-number")).ToHaveTextAsync("Page 2");
        await Expect(admin.Button("Next page")).ToBeHiddenAsync();
        Assert.Contains(admin.RequestUrls, url => url.Contains("$skiptoken=", StringComparison.Ordinal));
        await admin.Button("Previous page").ClickAsync();
        await Expect(names).ToHaveTextAsync(Enumerable.Range(1, 5).Select(i => $"Page {tag} {i}"));
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task A_basic_user_sees_an_account_shared_with_them_and_not_an_unshared_one()
    {
        var tag = Tag();
        await Server.Admin.CreateAccountAsync("Unshared " + tag);
        var shared = await Server.Admin.CreateAccountAsync("Shared " + tag);
        await Server.ShareAsync(shared, fixture.BasicUser, "ReadAccess");
        await using var admin = await fixture.OpenAsync();

        await admin.SignInAsync(fixture.Token(fixture.BasicUser), fixture.BasicUserLabel);

        await Expect(admin.Row("Shared " + tag)).ToBeVisibleAsync();
        await Expect(admin.Row("Unshared " + tag)).ToHaveCountAsync(0);
        admin.AssertNoProblems();
    }
}

[Collection(SqliteAdminFixture.Collection)]
public sealed class AccountListTestsOnSqlite(SqliteAdminFixture fixture) : AccountListTests<SqliteServerFixture>(fixture);

[Collection(PostgresAdminFixture.Collection)]
public sealed class AccountListTestsOnPostgres(PostgresAdminFixture fixture) : AccountListTests<PostgresServerFixture>(fixture);
