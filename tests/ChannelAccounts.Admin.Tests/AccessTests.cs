using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static ChannelAccounts.Admin.Tests.Infrastructure.TestData;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests;

public abstract class AccessTests<TServer>(AdminFixture<TServer> fixture)
    where TServer : IServerFixture, IAsyncLifetime, new()
{
    private IServerFixture Server => fixture.Server;

    [Fact]
    public async Task Assigning_to_a_user_and_then_to_a_team_changes_the_owner()
    {
        var name = "Assigned " + Tag();
        var id = await Server.Admin.CreateAccountAsync(name);
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);
        await admin.RowButton(name, "Access").ClickAsync();
        await Expect(admin.Page.Locator("#access-owner")).ToHaveTextAsync("System Administrator");

        await admin.Page.GetByLabel("Assign to").SelectOptionAsync(new SelectOptionValue { Label = fixture.BasicUserLabel });
        await admin.Button("Assign").ClickAsync();

        await Expect(admin.Page.Locator("#access-owner")).ToHaveTextAsync("Bea Basic");
        await Expect(admin.Row(name).Locator("td").Nth(3)).ToHaveTextAsync("Bea Basic");
        Assert.Equal(fixture.BasicUser, (await Server.AccountAsync(id)).GetProperty("_ownerid_value").GetGuid());

        await admin.Page.GetByLabel("Assign to").SelectOptionAsync(new SelectOptionValue { Label = fixture.TeamName });
        await admin.Button("Assign").ClickAsync();

        await Expect(admin.Page.Locator("#access-owner")).ToHaveTextAsync(fixture.TeamName);
        var owned = await Server.AccountAsync(id);
        Assert.Equal(fixture.Team, owned.GetProperty("_ownerid_value").GetGuid());
        Assert.Equal("team", owned.GetProperty("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname").GetString());
        admin.AssertNoProblems();
    }

    [Fact]
    public async Task Sharing_with_chosen_rights_shows_who_has_access_and_rights_can_be_changed_and_revoked()
    {
        var name = "Shared " + Tag();
        var id = await Server.Admin.CreateAccountAsync(name);
        await using var admin = await fixture.OpenAsync();
        await admin.SignInAsync(fixture.AdminToken, fixture.AdminLabel);
        await admin.RowButton(name, "Access").ClickAsync();
        await Expect(admin.Page.Locator("#no-shares")).ToBeVisibleAsync();
        var shares = admin.Page.Locator("#share-table tbody tr");

        // GrantAccess with Read and Write for a user, Read for a team.
        await admin.Page.GetByLabel("Share with").SelectOptionAsync(new SelectOptionValue { Label = fixture.BasicUserLabel });
        await admin.Page.GetByLabel("WriteAccess").CheckAsync();
        await admin.Button("Share").ClickAsync();
        await Expect(shares).ToHaveCountAsync(1);
        await Expect(shares.Locator("td").Nth(1)).ToHaveTextAsync("ReadAccess, WriteAccess");
        await admin.Page.GetByLabel("Share with").SelectOptionAsync(new SelectOptionValue { Label = fixture.TeamName });
        await admin.Page.GetByLabel("WriteAccess").UncheckAsync();
        await admin.Button("Share").ClickAsync();
        await Expect(shares).ToHaveCountAsync(2);
        Assert.Equal([("systemuser", fixture.BasicUser, "ReadAccess, WriteAccess"), ("team", fixture.Team, "ReadAccess")], await Server.SharesAsync(id));

        // ModifyAccess replaces the user's rights.
        var bea = shares.Filter(new() { HasText = "Bea Basic" });
        await bea.GetByRole(AriaRole.Button, new() { Name = "Change rights" }).ClickAsync();
        await Expect(admin.Page.GetByLabel("WriteAccess")).ToBeCheckedAsync();
        await admin.Page.GetByLabel("WriteAccess").UncheckAsync();
        await admin.Page.GetByLabel("DeleteAccess").CheckAsync();
        await admin.Button("Update rights").ClickAsync();
        await Expect(bea.Locator("td").Nth(1)).ToHaveTextAsync("ReadAccess, DeleteAccess");
        Assert.Contains(("systemuser", fixture.BasicUser, "ReadAccess, DeleteAccess"), await Server.SharesAsync(id));

        // RevokeAccess removes the user's share and keeps the team's.
        await bea.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(shares).ToHaveCountAsync(1);
        await Expect(shares).ToContainTextAsync(fixture.TeamName);
        Assert.Equal([("team", fixture.Team, "ReadAccess")], await Server.SharesAsync(id));
        admin.AssertNoProblems();
    }
}

[Collection(SqliteAdminFixture.Collection)]
public sealed class AccessTestsOnSqlite(SqliteAdminFixture fixture) : AccessTests<SqliteServerFixture>(fixture);

[Collection(PostgresAdminFixture.Collection)]
public sealed class AccessTestsOnPostgres(PostgresAdminFixture fixture) : AccessTests<PostgresServerFixture>(fixture);
