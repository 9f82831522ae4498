using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>
/// Accept: application/json;IEEE754Compatible=true (OData JSON Format §3.2): Int64 values, which JavaScript's numbers
/// cannot hold past 2^53, are written as strings, and the Content-Type says so.
/// </summary>
public abstract class Ieee754CompatibleTests(IServerFixture server)
{
    private const string Compatible = "application/json;odata.metadata=minimal;IEEE754Compatible=true";

    [Fact]
    public async Task A_record_asked_for_IEEE754Compatible_has_its_versionnumber_as_a_string()
    {
        var id = await server.Admin.CreateAccountAsync("ieee " + Guid.NewGuid().ToString("N")[..8]);

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})?$select=msdyn_name,versionnumber", null, ("Accept", Compatible));
        var record = await response.JsonAsync();

        Assert.Equal(JsonValueKind.String, record.GetProperty("versionnumber").ValueKind);
        Assert.True(long.TryParse(record.GetProperty("versionnumber").GetString(), out var version) && version > 0);
        Assert.Contains("IEEE754Compatible=true", response.ContentType()!.ToString());
    }

    [Fact]
    public async Task A_page_asked_for_IEEE754Compatible_has_its_count_and_versionnumbers_as_strings()
    {
        var tag = "ieee" + Guid.NewGuid().ToString("N")[..8];
        await server.Admin.CreateAccountAsync(tag + " a");
        await server.Admin.CreateAccountAsync(tag + " b");

        var page = await server.Admin.GetJsonAsync($"{Accounts}?$select=versionnumber&$count=true&$filter=startswith(msdyn_name,'{tag}')", ("Accept", Compatible));

        Assert.Equal("2", page.GetProperty("@odata.count").GetString());
        Assert.All(page.GetProperty("value").EnumerateArray(), r => Assert.Equal(JsonValueKind.String, r.GetProperty("versionnumber").ValueKind));
    }

    [Fact]
    public async Task Without_IEEE754Compatible_Int64_values_stay_numbers()
    {
        var tag = "ieee" + Guid.NewGuid().ToString("N")[..8];
        await server.Admin.CreateAccountAsync(tag + " a");

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?$select=versionnumber&$count=true&$filter=startswith(msdyn_name,'{tag}')");
        var page = await response.JsonAsync();

        Assert.Equal(1, page.GetProperty("@odata.count").GetInt32());
        Assert.Equal(JsonValueKind.Number, page.GetProperty("value")[0].GetProperty("versionnumber").ValueKind);
        Assert.DoesNotContain("IEEE754", response.ContentType()!.ToString());
    }
}

public sealed class Ieee754CompatibleTestsOnSqlite(SqliteServerFixture server) : Ieee754CompatibleTests(server), IClassFixture<SqliteServerFixture>;

public sealed class Ieee754CompatibleTestsOnPostgres(PostgresServerFixture server) : Ieee754CompatibleTests(server), IClassFixture<PostgresServerFixture>;
