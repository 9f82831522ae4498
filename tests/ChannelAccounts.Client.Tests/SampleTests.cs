using ChannelAccounts.Client.Tests.Infrastructure;
using ChannelAccounts.Sample;

namespace ChannelAccounts.Client.Tests;

public sealed class SampleTests(HttpSqliteWorld world) : IClassFixture<HttpSqliteWorld>
{
    [Fact]
    public async Task The_sample_creates_shares_assigns_deactivates_and_queries_accounts_against_a_started_server()
    {
        using var output = new StringWriter();

        await SampleProgram.Run(world.Root, world.Tokens.Issue(world.Organization.AdminUserId), output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith($"Signed in as user {world.Organization.AdminUserId}", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Shared the Support account", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Sales': Active, owned by team", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Support': Inactive, owned by systemuser", StringComparison.Ordinal));
    }
}
