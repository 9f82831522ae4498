using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

public abstract class GlobalOptionSetDefinitionsTests(IServerFixture server)
{
    [Fact]
    public async Task GlobalOptionSetDefinitions_is_empty_because_every_choice_is_local_to_its_column()
    {
        var body = await server.Admin.GetJsonAsync("GlobalOptionSetDefinitions?$select=Name");

        Assert.EndsWith("$metadata#GlobalOptionSetDefinitions(Name)", body.GetProperty("@odata.context").GetString());
        Assert.Equal(0, body.GetProperty("value").GetArrayLength());
        using var named = await server.Admin.SendAsync(HttpMethod.Get, "GlobalOptionSetDefinitions(Name='statecode')");
        var (code, message) = await named.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
        Assert.Contains("Attributes", message);
    }

    [Fact]
    public async Task Global_option_sets_are_read_only()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "GlobalOptionSetDefinitions", """{"Name":"new_x"}""");

        await response.ErrorAsync(HttpStatusCode.MethodNotAllowed);
    }
}

public sealed class GlobalOptionSetDefinitionsTestsOnSqlite(SqliteServerFixture server) : GlobalOptionSetDefinitionsTests(server), IClassFixture<SqliteServerFixture>;

public sealed class GlobalOptionSetDefinitionsTestsOnPostgres(PostgresServerFixture server) : GlobalOptionSetDefinitionsTests(server), IClassFixture<PostgresServerFixture>;
