using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests;

public abstract class SignInTests<TServer>(AdminFixture<TServer> fixture)
    where TServer : IServerFixture, IAsyncLifetime, new()
{
    [Fact]
    public async Task A_pasted_token_is_checked_with_WhoAmI_kept_in_sessionStorage_and_forgotten_on_sign_out()
    {
        var token = fixture.AdminToken;
        await using var admin = await fixture.OpenAsync();

        await admin.SignInAsync(token, fixture.AdminLabel);

        Assert.Contains(admin.RequestUrls, url => url.EndsWith("/api/data/v9.2/WhoAmI", StringComparison.Ordinal));
        Assert.Equal(token, await admin.Page.EvaluateAsync<string>("sessionStorage.getItem('channelaccounts.admin.token')"));
        Assert.Equal(0, await admin.Page.EvaluateAsync<int>("localStorage.length"));
        Assert.Equal("", await admin.Page.EvaluateAsync<string>("document.cookie"));

        // A reload of the tab keeps the session; the token field is empty.
        await admin.Page.ReloadAsync();
        await Expect(admin.Page.Locator("#whoami")).ToContainTextAsync(fixture.AdminLabel);

        await admin.Button("Sign out").ClickAsync();
        await Expect(admin.Page.GetByLabel("Bearer token")).ToBeVisibleAsync();
        await Expect(admin.Page.Locator("#accounts")).ToBeHiddenAsync();
        Assert.Null(await admin.Page.EvaluateAsync<string?>("sessionStorage.getItem('channelaccounts.admin.token')"));
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task A_bad_token_is_refused_with_the_servers_message_and_not_kept()
    {
        using var anonymous = fixture.Server.Anonymous();
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        using var response = await anonymous.GetAsync("WhoAmI");
        var (_, expected) = await response.ErrorAsync(System.Net.HttpStatusCode.Unauthorized);
        await using var admin = await fixture.OpenAsync();

        await admin.Page.GetByLabel("Bearer token").FillAsync("not-a-token");
        await admin.Button("Sign in").ClickAsync();

        await admin.ExpectErrorAsync(expected);
        await Expect(admin.Page.Locator("#session")).ToBeHiddenAsync();
        Assert.Null(await admin.Page.EvaluateAsync<string?>("sessionStorage.getItem('channelaccounts.admin.token')"));
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task A_user_without_a_role_signs_in_and_sees_the_servers_privilege_error()
    {
        await using var admin = await fixture.OpenAsync();

        await admin.Page.GetByLabel("Bearer token").FillAsync(fixture.Token(fixture.RolelessUser));
        await admin.Button("Sign in").ClickAsync();

        await Expect(admin.Page.Locator("#whoami")).ToContainTextAsync("Nora Norole");
        await Expect(admin.Error).ToContainTextAsync("is missing prvReadmsdyn_ocwhatsappchannelaccount privilege");
        await Expect(admin.Error).ToContainTextAsync("0x80040220");
        admin.AssertNoProblems();
    }
}

[Collection(SqliteAdminFixture.Collection)]
public sealed class SignInTestsOnSqlite(SqliteAdminFixture fixture) : SignInTests<SqliteServerFixture>(fixture);

[Collection(PostgresAdminFixture.Collection)]
public sealed class SignInTestsOnPostgres(PostgresAdminFixture fixture) : SignInTests<PostgresServerFixture>(fixture);
