using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ChannelAccounts.Admin.Tests.Infrastructure;

/// <summary>The admin page in the words of its user: sign in, find a row, press a button, read the banner.</summary>
public sealed class AdminScreen : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    public AdminScreen(IPage page)
    {
        Page = page;
        // Script errors and Content-Security-Policy violations end up here; a test fails on any of them.
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _problems.Add(error);
        page.Request += (_, request) => RequestUrls.Add(request.Url);
    }

    public IPage Page { get; }

    /// <summary>Every URL the page asked for, in order.</summary>
    public List<string> RequestUrls { get; } = [];

    public ILocator Error => Page.Locator("#error");

    public ILocator Notice => Page.Locator("#notice");

    public ILocator Rows => Page.Locator("#account-table tbody tr");

    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The row of the account with this (unique) name.</summary>
    public ILocator Row(string name) =>
        Rows.Filter(new() { Has = Page.Locator("td.name", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(name)}$") }) });

    public ILocator RowButton(string name, string button) => Row(name).GetByRole(AriaRole.Button, new() { Name = button, Exact = true });

    public async Task SignInAsync(string token, string expectedName, int? pageSize = 100)
    {
        await Page.GetByLabel("Bearer token").FillAsync(token);
        await Button("Sign in").ClickAsync();
        await Expect(Page.Locator("#whoami")).ToContainTextAsync(expectedName);
        if (pageSize is { } size)
        {
            // Other tests of the class add accounts; one page holds them all.
            await Page.GetByLabel("Per page").SelectOptionAsync(size.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Expect(Page.Locator("#accounts")).ToBeVisibleAsync();
        await ListLoadedAsync();
    }

    /// <summary>Waits until the account list has its answer (the table is aria-busy while a page loads).</summary>
    public Task ListLoadedAsync() => Expect(Page.Locator("#account-table")).ToHaveAttributeAsync("aria-busy", "false");

    public async Task ExpectErrorAsync(string message)
    {
        await Expect(Error).ToBeVisibleAsync();
        await Expect(Error.Locator(".message")).ToHaveTextAsync(message);
    }

    /// <summary>No script error and no CSP violation happened on the page.</summary>
    public void AssertNoProblems() => Assert.True(_problems.Count == 0, "Browser errors:\n" + string.Join("\n", _problems));

    public async ValueTask DisposeAsync() => await Page.Context.CloseAsync();
}
