using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Testing;
using Microsoft.Playwright;

namespace ChannelAccounts.Admin.Tests.Infrastructure;

/// <summary>
/// A real server (Kestrel on 127.0.0.1, a fresh database) and a headless Chromium for one test class, with the people
/// the flows need: the first admin, a Basic User, a user without any role, and a team holding the Basic User role.
/// </summary>
public abstract class AdminFixture<TServer> : IAsyncLifetime
    where TServer : IServerFixture, IAsyncLifetime, new()
{
    private IPlaywright? _playwright;

    public TServer Server { get; } = new();

    public IBrowser Browser { get; private set; } = null!;

    public Guid BasicUser { get; private set; }

    public string BasicUserLabel => "Bea Basic (bea.basic@example.test)";

    public Guid RolelessUser { get; private set; }

    public Guid Team { get; private set; }

    public string TeamName => "Support desk";

    public string AdminLabel => "System Administrator (admin@channelaccounts.local)";

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        var store = Server.Store;
        var root = Server.Organization.RootBusinessUnitId;
        BasicUser = await Principals.AddUserAsync(store, "Bea", "Basic", root);
        await Principals.AssignRoleAsync(store, BasicUser, SecurityCatalog.BasicUserRoleId);
        RolelessUser = await Principals.AddUserAsync(store, "Nora", "Norole", root);
        Team = await Principals.AddTeamAsync(store, TeamName, root);
        await Principals.AssignTeamRoleAsync(store, Team, SecurityCatalog.BasicUserRoleId);
        (_playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }

    public string Token(Guid userId) => Server.Tokens.Issue(userId);

    public string AdminToken => Token(Server.Organization.AdminUserId);

    /// <summary>A new browser context (its own sessionStorage) with a page on /admin/.</summary>
    public async Task<AdminScreen> OpenAsync(int width = 1360, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        var admin = new AdminScreen(page);
        await page.GotoAsync(new Uri(Server.Root, "admin/").ToString());
        return admin;
    }
}

/// <summary>One server and one browser for every admin page test on SQLite; the tests of a collection run one at a time.</summary>
public sealed class SqliteAdminFixture : AdminFixture<SqliteServerFixture>
{
    public const string Collection = "Admin page on SQLite";
}

public sealed class PostgresAdminFixture : AdminFixture<PostgresServerFixture>
{
    public const string Collection = "Admin page on PostgreSQL";
}

[CollectionDefinition(SqliteAdminFixture.Collection)]
public sealed class SqliteAdminCollection : ICollectionFixture<SqliteAdminFixture>;

[CollectionDefinition(PostgresAdminFixture.Collection)]
public sealed class PostgresAdminCollection : ICollectionFixture<PostgresAdminFixture>;
