using System.Text;
using System.Text.Json;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.WebApi.Batch;
using ChannelAccounts.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChannelAccounts.Server.Tests.WebApi.Batch;

/// <summary>
/// A part that meets a bug is answered as that part's 500, in Dataverse's error shape and logged, and the parts
/// before it keep their own answers; it never turns the whole batch into one 500 that hides what was done.
/// </summary>
public sealed class BatchExecutorTests(SqliteStoreFixture fixture) : IClassFixture<SqliteStoreFixture>
{
    private static BatchOperation Get(string url) => new("GET", url, [], [], null);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_part_that_meets_a_bug_is_its_own_500_after_the_parts_before_it(bool continueOnError)
    {
        var logs = new CapturedLogs();
        var outer = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging(l => l.AddProvider(logs)).BuildServiceProvider(),
        };
        outer.Request.Scheme = "http";
        outer.Request.Host = new HostString("127.0.0.1");
        var executor = new BatchExecutor(await OrganizationEngine.CreateAsync(fixture.Store), inner =>
        {
            if (inner.Request.Path.Value!.EndsWith("/broken", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("a bug in this part");
            }
            inner.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });

        var results = await executor.RunAsync(outer, "9.2",
            [new SingleRequestItem(Get("WhoAmI")), new SingleRequestItem(Get("broken")), new SingleRequestItem(Get("WhoAmI"))], continueOnError);

        Assert.Equal(continueOnError ? new[] { 204, 500, 204 } : [204, 500], results.Select(r => r.Results.Single().StatusCode));
        using var error = JsonDocument.Parse(Encoding.UTF8.GetString(results[1].Results.Single().Body));
        Assert.Equal("0x80040216", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("a bug in this part", StringComparison.Ordinal));
    }
}
