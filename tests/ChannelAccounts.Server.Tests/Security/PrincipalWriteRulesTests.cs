using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

/// <summary>
/// Writes of users, teams and business units keep the rules of every other record: a stale ETag changes nothing, a
/// create of an id that exists is a duplicate, required columns cannot be cleared; and nobody disables themselves.
/// </summary>
public abstract class PrincipalWriteRulesTests(IServerFixture server)
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    private Task<Guid> CreateAsync(string set, string json) => server.Admin.CreateInAsync(set, json);

    private Task<Guid> CreateTeamAsync() =>
        CreateAsync("teams", $$"""{"name":"Team {{_tag}}","businessunitid@odata.bind":"/businessunits({{server.Organization.RootBusinessUnitId}})"}""");

    private Task<Guid> CreateUnitAsync() =>
        CreateAsync("businessunits", $$"""{"name":"Unit {{_tag}}","parentbusinessunitid@odata.bind":"/businessunits({{server.Organization.RootBusinessUnitId}})"}""");

    private Task<Guid> CreateUserAsync() =>
        CreateAsync("systemusers", $$"""{"domainname":"rules.{{_tag}}@example.test","firstname":"Rule","lastname":"Keeper"}""");

    private async Task<string> ETagAsync(string set, Guid id, string keyColumn) =>
        (await server.Admin.GetJsonAsync($"{set}({id})?$select={keyColumn}")).GetProperty("@odata.etag").GetString()!;

    public static TheoryData<string, string, string> PrincipalTables => new()
    {
        { "teams", "name", """{"name":"renamed"}""" },
        { "businessunits", "name", """{"name":"renamed"}""" },
        { "systemusers", "firstname", """{"firstname":"renamed"}""" },
    };

    private async Task<Guid> CreateInAsync(string set) => set switch
    {
        "teams" => await CreateTeamAsync(),
        "businessunits" => await CreateUnitAsync(),
        _ => await CreateUserAsync(),
    };

    [Theory]
    [MemberData(nameof(PrincipalTables))]
    public async Task A_PATCH_with_a_stale_ETag_is_412_and_changes_nothing(string set, string column, string body)
    {
        var id = await CreateInAsync(set);
        var etag = await ETagAsync(set, id, column);

        using var stale = await server.Admin.SendAsync(HttpMethod.Patch, $"{set}({id})", body, ("If-Match", "W/\"1\""));

        Assert.Equal("0x80060882", (await stale.ErrorAsync(HttpStatusCode.PreconditionFailed)).Code);
        var after = await server.Admin.GetJsonAsync($"{set}({id})?$select={column}");
        Assert.NotEqual("renamed", after.GetProperty(column).GetString());
        Assert.Equal(etag, after.GetProperty("@odata.etag").GetString());

        using var current = await server.Admin.SendAsync(HttpMethod.Patch, $"{set}({id})", body, ("If-Match", etag));
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
        Assert.Equal("renamed", (await server.Admin.GetJsonAsync($"{set}({id})?$select={column}")).GetProperty(column).GetString());
    }

    [Fact]
    public async Task A_DELETE_of_a_team_with_a_stale_ETag_is_412_and_keeps_the_team()
    {
        var team = await CreateTeamAsync();

        using var stale = await server.Admin.SendAsync(HttpMethod.Delete, $"teams({team})", headers: ("If-Match", "W/\"1\""));

        Assert.Equal("0x80060882", (await stale.ErrorAsync(HttpStatusCode.PreconditionFailed)).Code);
        using var still = await server.Admin.SendAsync(HttpMethod.Get, $"teams({team})?$select=name");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        using var current = await server.Admin.SendAsync(HttpMethod.Delete, $"teams({team})", headers: ("If-Match", await ETagAsync("teams", team, "name")));
        Assert.Equal(HttpStatusCode.NoContent, current.StatusCode);
    }

    [Theory]
    [MemberData(nameof(PrincipalTables))]
    public async Task A_PATCH_with_If_None_Match_any_on_an_existing_principal_is_412_whatever_the_body(string set, string column, string body)
    {
        _ = column;
        var id = await CreateInAsync(set);

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{set}({id})", body, ("If-None-Match", "*"));

        Assert.Equal("0x80040237", (await response.ErrorAsync(HttpStatusCode.PreconditionFailed)).Code);
    }

    [Fact]
    public async Task A_business_unit_name_cannot_be_cleared()
    {
        var unit = await CreateUnitAsync();

        using var patch = await server.Admin.SendAsync(HttpMethod.Patch, $"businessunits({unit})", """{"name":null}""");
        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, $"businessunits({unit})/name");

        Assert.Contains("'name'", (await patch.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Contains("'name'", (await delete.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.Equal($"Unit {_tag}", (await server.Admin.GetJsonAsync($"businessunits({unit})?$select=name")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task isdisabled_is_true_or_false_never_null()
    {
        var user = await CreateUserAsync();

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"systemusers({user})", """{"isdisabled":null}""");

        Assert.Contains("isdisabled", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        Assert.False((await server.Admin.GetJsonAsync($"systemusers({user})?$select=isdisabled")).GetProperty("isdisabled").GetBoolean());
    }

    [Fact]
    public async Task An_administrator_cannot_disable_their_own_user_but_can_disable_another()
    {
        var other = await CreateUserAsync();

        using var self = await server.Admin.SendAsync(HttpMethod.Patch, $"systemusers({server.Organization.AdminUserId})", """{"isdisabled":true}""");

        Assert.Contains("cannot disable their own user", (await self.ErrorAsync(HttpStatusCode.BadRequest)).Message);
        using var whoAmI = await server.Admin.SendAsync(HttpMethod.Get, "WhoAmI");
        Assert.Equal(HttpStatusCode.OK, whoAmI.StatusCode);
        using var another = await server.Admin.SendAsync(HttpMethod.Patch, $"systemusers({other})", """{"isdisabled":true}""");
        Assert.Equal(HttpStatusCode.NoContent, another.StatusCode);
    }
}

public sealed class PrincipalWriteRulesTestsOnSqlite(SqliteServerFixture server) : PrincipalWriteRulesTests(server), IClassFixture<SqliteServerFixture>;

public sealed class PrincipalWriteRulesTestsOnPostgres(PostgresServerFixture server) : PrincipalWriteRulesTests(server), IClassFixture<PostgresServerFixture>;
