using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

/// <summary>
/// $filter with the lambda operators any and all on collection-valued navigation properties, as Dataverse documents
/// them (webapi/query/filter-rows.md, "Filter using values of related collections"): one-to-many and many-to-many,
/// without an argument, negated, combined with other conditions, through a lookup of the related rows, and only over
/// rows the caller may read.
/// </summary>
public abstract class LambdaFilterTests(IServerFixture server)
{
    private readonly string _tag = "A" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The owners of RecordOwners.SeedAsync, and a team whose members are Zed and Mia.</summary>
    private async Task<Guid> SeedAsync()
    {
        var users = await RecordOwners.SeedAsync(server, _tag);
        var team = await Principals.AddTeamAsync(server.Store, "Team " + _tag, server.Organization.RootBusinessUnitId);
        await Principals.AddTeamMemberAsync(server.Store, team, users["Zed"]);
        await Principals.AddTeamMemberAsync(server.Store, team, users["Mia"]);
        return team;
    }

    private async Task<List<string>> UsersAsync(string filter, HttpClient? client = null)
    {
        var body = await (client ?? server.Admin).GetJsonAsync(
            $"systemusers?$select=firstname&$orderby=firstname&$filter=lastname eq '{_tag}' and ({filter})");
        return body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("firstname").GetString()!).ToList();
    }

    private const string Owned = "user_msdyn_ocwhatsappchannelaccount";

    [Fact]
    public async Task Any_keeps_the_records_with_a_related_record_that_meets_the_predicate()
    {
        await SeedAsync();

        Assert.Equal(["Mia"], await UsersAsync($"{Owned}/any(a:a/statecode eq 1)"));
        Assert.Equal(["Aaron", "Mia", "Zed"], await UsersAsync($"{Owned}/any()"));
        Assert.Equal(["Zed"], await UsersAsync($"{Owned}/any(a:endswith(a/msdyn_name,'Zed') and a/statecode eq 0)"));
    }

    [Fact]
    public async Task Not_any_keeps_the_records_without_one()
    {
        await SeedAsync();

        Assert.Equal(["Aaron", "Ned", "Zed"], await UsersAsync($"not {Owned}/any(a:a/statecode eq 1)"));
        Assert.Equal(["Ned"], await UsersAsync($"not {Owned}/any()"));
    }

    [Fact]
    public async Task All_keeps_the_records_whose_related_records_all_meet_the_predicate_and_not_all_the_others()
    {
        await SeedAsync();

        Assert.Equal(["Aaron", "Zed"], await UsersAsync($"{Owned}/all(a:a/statecode eq 0)"));
        Assert.Equal(["Mia", "Ned"], await UsersAsync($"not {Owned}/all(a:a/statecode eq 0)"));
    }

    [Fact]
    public async Task A_lambda_combines_with_other_conditions_and_with_another_lambda()
    {
        await SeedAsync();

        Assert.Equal(["Mia", "Ned"], await UsersAsync($"firstname eq 'Ned' or {Owned}/any(a:a/statecode eq 1)"));
        Assert.Equal(["Zed"], await UsersAsync($"{Owned}/any() and {Owned}/all(a:a/statecode eq 0) and startswith(firstname,'Z')"));
    }

    [Fact]
    public async Task A_lambda_tests_a_column_of_a_lookup_of_the_related_records()
    {
        await SeedAsync();

        Assert.Equal(["Aaron", "Mia", "Zed"], await UsersAsync($"{Owned}/any(a:a/createdby/fullname eq 'System Administrator')"));
        Assert.Empty(await UsersAsync($"{Owned}/any(a:a/createdby/fullname eq 'Nobody')"));
    }

    [Fact]
    public async Task A_lambda_over_a_many_to_many_relationship_tests_the_related_table()
    {
        var team = await SeedAsync();

        var teams = await server.Admin.GetJsonAsync($"teams?$select=name&$filter=name eq 'Team {_tag}' and teammembership_association/any(u:u/firstname eq 'Mia')");
        Assert.Equal(team, Assert.Single(teams.GetProperty("value").EnumerateArray()).GetProperty("teamid").GetGuid());
        Assert.Equal(["Mia", "Zed"], await UsersAsync("teammembership_association/any(t:t/name eq 'Team " + _tag + "')"));
        // Nested: the team's members who own an inactive record.
        var nested = await server.Admin.GetJsonAsync(
            $"teams?$select=name&$filter=name eq 'Team {_tag}' and teammembership_association/any(u:u/{Owned}/any(a:a/statecode eq 1))");
        Assert.Single(nested.GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task A_lambda_sees_only_the_related_records_the_caller_reads()
    {
        await SeedAsync();
        using var client = await RecordOwners.BasicReaderAsync(server, _tag + "r");

        Assert.Empty(await UsersAsync($"{Owned}/any()", client));
        Assert.Equal(["Aaron", "Mia", "Ned", "Zed"], await UsersAsync($"not {Owned}/any(a:a/statecode eq 1)", client));
    }

    [Theory]
    [InlineData("user_msdyn_ocwhatsappchannelaccount/any(a:a/msdyn_authenticationtoken ne null)", "msdyn_authenticationtoken")]
    [InlineData("teammembership_association/any(u:u/businessunitid/name eq 'x')", "many-to-many")]
    [InlineData("user_msdyn_ocwhatsappchannelaccount/any(a:a/owninguser/user_msdyn_ocwhatsappchannelaccount/any(b:b/statecode eq 1))", "collection-valued navigation property of the table")]
    public async Task A_lambda_the_server_cannot_answer_is_400_saying_why(string filter, string says)
    {
        using var client = await RecordOwners.BasicReaderAsync(server, _tag + "s");

        using var response = await client.SendAsync(HttpMethod.Get, $"systemusers?$select=firstname&$filter={Uri.EscapeDataString(filter)}");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(says, message);
    }
}

public sealed class LambdaFilterTestsOnSqlite(SqliteServerFixture server) : LambdaFilterTests(server), IClassFixture<SqliteServerFixture>;

public sealed class LambdaFilterTestsOnPostgres(PostgresServerFixture server) : LambdaFilterTests(server), IClassFixture<PostgresServerFixture>;
