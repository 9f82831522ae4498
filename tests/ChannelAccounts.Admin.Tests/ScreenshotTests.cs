using ChannelAccounts.Admin.Tests.Infrastructure;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests;

/// <summary>The README's picture of the account list: docs/admin-page.png, taken by a Basic user who sees a known set.</summary>
[Collection(SqliteAdminFixture.Collection)]
public sealed class ScreenshotTests(SqliteAdminFixture fixture)
{
    [Fact]
    public async Task The_account_list_is_photographed_for_the_readme()
    {
        var server = fixture.Server;
        var maya = await Principals.AddUserAsync(server.Store, "Maya", "Patel", server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, maya, SecurityCatalog.BasicUserRoleId);
        var team = await Principals.AddTeamAsync(server.Store, "EU support", server.Organization.RootBusinessUnitId);
        await Principals.AssignTeamRoleAsync(server.Store, team, SecurityCatalog.BasicUserRoleId);
        await Principals.AddTeamMemberAsync(server.Store, team, maya);
        await AccountAsync("Contoso Support", "AC8f2d41c09a7e4b6c9d3e5f7a1b2c3d4e", $"/systemusers({maya})", active: true);
        await AccountAsync("Contoso Sales EU", "AC1b7e3f9a2c4d6e8f0a1b3c5d7e9f1a2b", $"/teams({team})", active: true);
        await AccountAsync("Fabrikam Returns", "AC5c9e1a3b7d2f4e6a8c0b2d4f6a8c0e1d", $"/systemusers({maya})", active: false);
        var shared = await AccountAsync("Northwind Pharmacy", "AC3a5c7e9b1d2f4a6c8e0b2d4f6a8c1e3f", null, active: true);
        await server.ShareAsync(shared, maya, "ReadAccess, WriteAccess");
        await using var admin = await fixture.OpenAsync(1440, 480);

        await admin.SignInAsync(fixture.Token(maya), "Maya Patel", pageSize: null);
        await Expect(admin.Rows).ToHaveCountAsync(4);
        await admin.RowButton("Contoso Support", "Copy").ClickAsync();
        await Expect(admin.Notice).ToHaveTextAsync("Inbound URL copied to the clipboard.");

        var path = Path.Combine(RepositoryRoot(), "docs", "admin-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await admin.Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
        admin.AssertNoProblems();
    }

    private async Task<Guid> AccountAsync(string name, string sid, string? owner, bool active)
    {
        // Ids from the SID and a public host: the picture stays the same from run to run (no port, no random id).
        var id = new Guid(Convert.FromHexString(sid[2..]));
        var url = $"https://whatsapp.contoso.com/twilio/whatsapp/{id}/inbound";
        var body = $"\"msdyn_ocwhatsappchannelaccountid\":\"{id}\",\"msdyn_twilioinboundurl\":\"{url}\"" +
            (owner is null ? "" : $",\"ownerid@odata.bind\":\"{owner}\"");
        using var response = await fixture.Server.Admin.SendAsync(HttpMethod.Post, WebApiCalls.Accounts,
            $"{{\"msdyn_name\":\"{name}\",\"msdyn_provideraccountid\":\"{sid}\",{body}}}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        if (!active)
        {
            // Created active, as in Dataverse; SetState afterwards.
            using var deactivate = await fixture.Server.Admin.SendAsync(HttpMethod.Patch, $"{WebApiCalls.Accounts}({id})", """{"statecode":1,"statuscode":2}""");
            Assert.True(deactivate.IsSuccessStatusCode, await deactivate.Content.ReadAsStringAsync());
        }

        return id;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ChannelAccounts.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No ChannelAccounts.sln above {AppContext.BaseDirectory}.");
    }
}
