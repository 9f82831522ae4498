using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Admin.Tests.Infrastructure.TestData;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests;

public abstract class AccountStateTests<TServer>(AdminFixture<TServer> fixture)
    where TServer : IServerFixture, IAsyncLifetime, new()
{
    [Fact]
    public async Task Deactivate_and_activate_set_statecode_and_statuscode_as_Dataverse_does()
    {
        var name = "Toggled " + Tag();
        var id = await fixture.Server.Admin.CreateAccountAsync(name);
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);

        await admin.RowButton(name, "Deactivate").ClickAsync();

        await Expect(admin.Row(name).Locator("td").Nth(2)).ToHaveTextAsync("Inactive");
        await Expect(admin.RowButton(name, "Activate")).ToBeVisibleAsync();
        var inactive = await fixture.Server.AccountAsync(id);
        Assert.Equal((1, 2), (inactive.GetProperty("statecode").GetInt32(), inactive.GetProperty("statuscode").GetInt32()));

        await admin.RowButton(name, "Activate").ClickAsync();

        await Expect(admin.Row(name).Locator("td").Nth(2)).ToHaveTextAsync("Active");
        var active = await fixture.Server.AccountAsync(id);
        Assert.Equal((0, 1), (active.GetProperty("statecode").GetInt32(), active.GetProperty("statuscode").GetInt32()));
        admin.AssertNoProblems();
    }
}

[Collection(SqliteAdminFixture.Collection)]
public sealed class AccountStateTestsOnSqlite(SqliteAdminFixture fixture) : AccountStateTests<SqliteServerFixture>(fixture);

[Collection(PostgresAdminFixture.Collection)]
public sealed class AccountStateTestsOnPostgres(PostgresAdminFixture fixture) : AccountStateTests<PostgresServerFixture>(fixture);
