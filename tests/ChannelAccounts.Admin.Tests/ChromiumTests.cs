using ChannelAccounts.Admin.Tests.Infrastructure;

namespace ChannelAccounts.Admin.Tests;

public sealed class ChromiumTests
{
    [Fact]
    public async Task A_missing_Chromium_fails_the_tests_naming_the_install_script()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "chromium");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Chromium.LaunchAsync(missing));

        Assert.Contains(missing, error.Message);
        Assert.Contains("scripts/install-chromium.sh", error.Message);
    }
}
