using Microsoft.Playwright;

namespace ChannelAccounts.Admin.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright for .NET. Playwright cannot download its own browser here, so it is pointed
/// at the package's executable; scripts/install-chromium.sh installs it (scripts/test.sh runs that first).
/// </summary>
public static class Chromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync(string executablePath = ExecutablePath)
    {
        // A missing browser is a failure, never a skip: the admin page would go untested without anyone noticing.
        if (!File.Exists(executablePath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing ({executablePath}). Install Debian's chromium package with: sudo bash scripts/install-chromium.sh");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            // LaunchAsync gives the browser a fresh temporary user-data dir, deleted when it closes.
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = executablePath,
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                ],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
