using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Query;

/// <summary>Every condition operator against one small data set; names of the matching rows are compared.</summary>
public abstract class ConditionOperatorTests(IStoreFixture fixture) : StoreTestBase(fixture), IAsyncLifetime
{
    private static readonly Guid OtherUser = Guid.NewGuid();
    private static readonly Guid OtherBusinessUnit = Guid.NewGuid();
    private readonly string _marker = NewMarker();

    public Task InitializeAsync() => InsertAsync(
        Row("Alpha", 1, Now.AddHours(-2), 0, Context.UserId, Context.BusinessUnitId, "alpha"),
        Row("beta", 2, Now.AddDays(-1), 1, OtherUser, OtherBusinessUnit, "ALPHA"),
        Row("Gamma", 3, Now.AddDays(1), 0, Context.UserId, OtherBusinessUnit, null),
        Row("delta_x", null, Now.AddDays(-5), 1, OtherUser, Context.BusinessUnitId, "d"),
        Row(null, 5, null, 0, null, null, null),
        Row("Ep%silon", 6, Now.AddDays(5), 0, OtherUser, OtherBusinessUnit, "e"),
        Row("zeta", 7, Now.AddDays(-10), 1, OtherUser, OtherBusinessUnit, "z"));

    public Task DisposeAsync() => Task.CompletedTask;

    private StoredRow Row(string? name, int? sequence, DateTime? createdOn, int state, Guid? owner, Guid? businessUnit, string? url)
    {
        var row = AccountRow(_marker, name);
        row["importsequencenumber"] = sequence;
        row["createdon"] = createdOn;
        row["statecode"] = state;
        row["ownerid"] = owner;
        row["owneridtype"] = owner is null ? null : 8;
        row["owningbusinessunit"] = businessUnit;
        row["msdyn_twilioinboundurl"] = url;
        return row;
    }

    private async Task<string> NamesAsync(ConditionExpression condition)
    {
        var query = AccountQuery(_marker, "msdyn_name");
        query.Criteria.AddCondition(condition);
        return await NamesAsync(query);
    }

    private async Task<string> NamesAsync(QueryExpression query)
    {
        var page = await QueryAsync(query);
        return string.Join(",", page.Rows.Select(r => (string?)r["msdyn_name"] ?? "(null)").Order(StringComparer.Ordinal));
    }

    private Task<string> NamesAsync(string column, ConditionOperator op, params object?[] values) =>
        NamesAsync(new ConditionExpression(column, op, values));

    [Theory]
    [InlineData(ConditionOperator.LessThan, 500, "Alpha,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.LessEqual, 500, "Alpha,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.LessThan, -500, "beta,delta_x,zeta")]
    [InlineData(ConditionOperator.GreaterThan, -500, "Alpha,Ep%silon,Gamma")]
    [InlineData(ConditionOperator.GreaterEqual, -500, "Alpha,Ep%silon,Gamma")]
    [InlineData(ConditionOperator.GreaterThan, 500, "Ep%silon,Gamma")]
    [InlineData(ConditionOperator.Equal, 500, "")]
    [InlineData(ConditionOperator.NotEqual, 500, "Alpha,Ep%silon,Gamma,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.Equal, 0, "Alpha")]
    public async Task A_date_between_two_seconds_compares_with_the_whole_seconds_stored_not_a_value_cut_to_one(
        ConditionOperator op, int milliseconds, string expected) =>
        // Alpha was created at Now - 2 h exactly; dates are stored in whole seconds.
        Assert.Equal(expected, await NamesAsync("createdon", op, Now.AddHours(-2).AddMilliseconds(milliseconds)));

    [Theory]
    [InlineData(ConditionOperator.Equal)]
    [InlineData(ConditionOperator.NotEqual)]
    public async Task Equal_or_NotEqual_null_is_refused_in_favour_of_Null_and_NotNull_as_Dataverse_does(ConditionOperator op)
    {
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => NamesAsync("msdyn_name", op, [null]));

        Assert.Contains("Use 'Null' or 'NotNull' conditions instead", fault.Message);
    }

    [Theory]
    [InlineData(ConditionOperator.Equal, "alpha", "Alpha")]
    [InlineData(ConditionOperator.NotEqual, "ALPHA", "Ep%silon,Gamma,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.Like, "%TA%", "beta,delta_x,zeta")]
    [InlineData(ConditionOperator.Like, "_amma", "Gamma")]
    [InlineData(ConditionOperator.NotLike, "%a", "Ep%silon,delta_x")]
    [InlineData(ConditionOperator.BeginsWith, "ALP", "Alpha")]
    [InlineData(ConditionOperator.BeginsWith, "DELTA_", "delta_x")]
    [InlineData(ConditionOperator.BeginsWith, "Z", "zeta")]
    [InlineData(ConditionOperator.Like, "EP%S%", "Ep%silon")]
    [InlineData(ConditionOperator.Like, "gAmMa", "Gamma")]
    [InlineData(ConditionOperator.DoesNotBeginWith, "a", "Ep%silon,Gamma,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.EndsWith, "X", "delta_x")]
    [InlineData(ConditionOperator.DoesNotEndWith, "a", "Ep%silon,delta_x")]
    [InlineData(ConditionOperator.Contains, "SIL", "Ep%silon")]
    [InlineData(ConditionOperator.DoesNotContain, "a", "Ep%silon")]
    public async Task Text_operators_ignore_case(ConditionOperator op, string value, string expected) =>
        Assert.Equal(expected, await NamesAsync("msdyn_name", op, value));

    [Theory]
    [InlineData(ConditionOperator.GreaterThan, 2, "(null),Ep%silon,Gamma,zeta")]
    [InlineData(ConditionOperator.LessThan, 2, "Alpha")]
    [InlineData(ConditionOperator.GreaterEqual, 6, "Ep%silon,zeta")]
    [InlineData(ConditionOperator.LessEqual, 2, "Alpha,beta")]
    [InlineData(ConditionOperator.Equal, "3", "Gamma")]
    public async Task Comparison_operators_compare_numbers(ConditionOperator op, object value, string expected) =>
        Assert.Equal(expected, await NamesAsync("importsequencenumber", op, value));

    [Fact]
    public async Task In_and_NotIn_take_a_list_of_values_converted_to_the_column_type()
    {
        Assert.Equal("Alpha,Gamma", await NamesAsync("importsequencenumber", ConditionOperator.In, "1", "3"));
        Assert.Equal("(null),Ep%silon,beta,zeta", await NamesAsync("importsequencenumber", ConditionOperator.NotIn, 1, 3L));
        Assert.Equal("Alpha,beta", await NamesAsync("msdyn_name", ConditionOperator.In, "ALPHA", "Beta"));
        Assert.Equal("", await NamesAsync(new ConditionExpression { AttributeName = "msdyn_name", Operator = ConditionOperator.In }));
    }

    [Fact]
    public async Task Between_and_NotBetween_include_their_bounds()
    {
        Assert.Equal("(null),Gamma,beta", await NamesAsync("importsequencenumber", ConditionOperator.Between, 2, 5));
        Assert.Equal("Alpha,Ep%silon,zeta", await NamesAsync("importsequencenumber", ConditionOperator.NotBetween, 2, 5));
    }

    [Fact]
    public async Task Null_and_NotNull_test_for_a_missing_value()
    {
        Assert.Equal("delta_x", await NamesAsync("importsequencenumber", ConditionOperator.Null));
        Assert.Equal("Alpha,Ep%silon,Gamma,beta,delta_x,zeta", await NamesAsync("msdyn_name", ConditionOperator.NotNull));
    }

    [Theory]
    [InlineData(ConditionOperator.Today, "Alpha")]
    [InlineData(ConditionOperator.Yesterday, "beta")]
    [InlineData(ConditionOperator.Tomorrow, "Gamma")]
    [InlineData(ConditionOperator.Last7Days, "Alpha,beta,delta_x")]
    [InlineData(ConditionOperator.Next7Days, "Ep%silon,Gamma")]
    public async Task Relative_date_operators_count_whole_UTC_days_from_now(ConditionOperator op, string expected) =>
        Assert.Equal(expected, await NamesAsync("createdon", op));

    [Fact]
    public async Task LastXDays_and_NextXDays_take_a_number_of_days()
    {
        Assert.Equal("Alpha,beta", await NamesAsync("createdon", ConditionOperator.LastXDays, 3));
        Assert.Equal("Gamma", await NamesAsync("createdon", ConditionOperator.NextXDays, 1L));
        Assert.Equal("Ep%silon,Gamma", await NamesAsync("createdon", ConditionOperator.NextXDays, "5"));
    }

    // Now is Sunday 2026-03-15 12:30 UTC: the week (from Sunday) holds Alpha, Gamma and Ep%silon; beta and delta_x fell last week.
    [Theory]
    [InlineData(ConditionOperator.ThisWeek, "Alpha,Ep%silon,Gamma")]
    [InlineData(ConditionOperator.LastWeek, "beta,delta_x")]
    [InlineData(ConditionOperator.NextWeek, "")]
    [InlineData(ConditionOperator.ThisMonth, "Alpha,Ep%silon,Gamma,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.LastMonth, "")]
    [InlineData(ConditionOperator.NextMonth, "")]
    [InlineData(ConditionOperator.ThisYear, "Alpha,Ep%silon,Gamma,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.LastYear, "")]
    [InlineData(ConditionOperator.NextYear, "")]
    public async Task Calendar_operators_take_the_UTC_week_from_Sunday_the_month_and_the_year(ConditionOperator op, string expected) =>
        Assert.Equal(expected, await NamesAsync("createdon", op));

    [Theory]
    [InlineData(ConditionOperator.LastXHours, 3, "Alpha")]
    [InlineData(ConditionOperator.NextXHours, 30, "Gamma")]
    [InlineData(ConditionOperator.LastXWeeks, 1, "Alpha,beta,delta_x")]
    [InlineData(ConditionOperator.NextXWeeks, 1, "Ep%silon,Gamma")]
    [InlineData(ConditionOperator.LastXMonths, 1, "Alpha,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.NextXMonths, 1, "Ep%silon,Gamma")]
    [InlineData(ConditionOperator.LastXYears, 1, "Alpha,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.NextXYears, 1, "Ep%silon,Gamma")]
    [InlineData(ConditionOperator.OlderThanXMinutes, 150, "beta,delta_x,zeta")]
    [InlineData(ConditionOperator.OlderThanXHours, 1, "Alpha,beta,delta_x,zeta")]
    [InlineData(ConditionOperator.OlderThanXDays, 3, "delta_x,zeta")]
    [InlineData(ConditionOperator.OlderThanXWeeks, 1, "zeta")]
    [InlineData(ConditionOperator.OlderThanXMonths, 1, "")]
    [InlineData(ConditionOperator.OlderThanXYears, 1, "")]
    public async Task Relative_operators_take_a_count_of_their_unit(ConditionOperator op, int count, string expected) =>
        Assert.Equal(expected, await NamesAsync("createdon", op, count));

    [Theory]
    [InlineData(ConditionOperator.LastXHours, 2_400_001)]
    [InlineData(ConditionOperator.OlderThanXYears, 251)]
    [InlineData(ConditionOperator.NextXMonths, -1)]
    public async Task A_count_outside_the_calendar_is_an_InvalidArgument_fault_naming_the_unit(ConditionOperator op, int count)
    {
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => NamesAsync("createdon", op, count));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.Contains("is outside 0 to", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotOn_is_every_dated_row_of_another_day() =>
        Assert.Equal("Alpha,Ep%silon,Gamma,delta_x,zeta", await NamesAsync("createdon", ConditionOperator.NotOn, "2026-03-14"));

    [Fact]
    public async Task EqualUserTeams_matches_owners_that_are_teams_of_the_caller_and_EqualUserOrUserTeams_the_caller_too()
    {
        var team = Guid.NewGuid();
        var otherTeam = Guid.NewGuid();
        await InsertAsync(ChannelAccounts.Engine.Metadata.MetadataCatalog.TeamMembership, new StoredRow { ["teammembershipid"] = Guid.NewGuid(), ["teamid"] = team, ["systemuserid"] = Context.UserId });
        var teamRow = Row("Team owned", 8, Now, 0, team, Context.BusinessUnitId, null);
        teamRow["owneridtype"] = 9;
        var otherRow = Row("Other team owned", 9, Now, 0, otherTeam, Context.BusinessUnitId, null);
        otherRow["owneridtype"] = 9;
        await InsertAsync(teamRow, otherRow);

        Assert.Equal("Team owned", await NamesAsync("ownerid", ConditionOperator.EqualUserTeams));
        Assert.Equal("Alpha,Gamma,Team owned", await NamesAsync("ownerid", ConditionOperator.EqualUserOrUserTeams));
    }

    [Fact]
    public async Task On_OnOrBefore_and_OnOrAfter_compare_whole_days()
    {
        var yesterday = Now.Date.AddDays(-1);
        Assert.Equal("beta", await NamesAsync("createdon", ConditionOperator.On, yesterday.AddHours(3)));
        Assert.Equal("beta", await NamesAsync("createdon", ConditionOperator.On, "2026-03-14"));
        Assert.Equal("beta,delta_x,zeta", await NamesAsync("createdon", ConditionOperator.OnOrBefore, new DateTimeOffset(yesterday)));
        Assert.Equal("Ep%silon,Gamma", await NamesAsync("createdon", ConditionOperator.OnOrAfter, Now.Date.AddDays(1)));
    }

    [Fact]
    public async Task UserId_and_BusinessId_operators_use_the_caller()
    {
        Assert.Equal("Alpha,Gamma", await NamesAsync("ownerid", ConditionOperator.EqualUserId));
        Assert.Equal("Ep%silon,beta,delta_x,zeta", await NamesAsync("ownerid", ConditionOperator.NotEqualUserId));
        Assert.Equal("Alpha,delta_x", await NamesAsync("owningbusinessunit", ConditionOperator.EqualBusinessId));
        Assert.Equal("Ep%silon,Gamma,beta,zeta", await NamesAsync("owningbusinessunit", ConditionOperator.NotEqualBusinessId));
    }

    [Fact]
    public async Task Lookup_and_date_values_may_arrive_as_text()
    {
        Assert.Equal("Alpha,Gamma", await NamesAsync("ownerid", ConditionOperator.Equal, Context.UserId.ToString("B")));
        Assert.Equal("zeta", await NamesAsync("createdon", ConditionOperator.LessThan, "2026-03-06T00:00:00Z"));
    }

    [Fact]
    public async Task CompareColumns_compares_two_columns_of_a_row()
    {
        var condition = new ConditionExpression("msdyn_name", ConditionOperator.Equal, "msdyn_twilioinboundurl") { CompareColumns = true };
        Assert.Equal("Alpha", await NamesAsync(condition));
    }

    [Fact]
    public async Task Nested_or_and_and_filters_combine()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        var either = query.Criteria.AddFilter(LogicalOperator.Or);
        either.AddCondition("importsequencenumber", ConditionOperator.Equal, 1);
        either.AddCondition("importsequencenumber", ConditionOperator.Equal, 7);
        query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 1);
        Assert.Equal("zeta", await NamesAsync(query));
    }

    [Fact]
    public async Task The_security_filter_of_the_context_restricts_every_query()
    {
        var security = new FilterExpression();
        security.AddCondition("ownerid", ConditionOperator.EqualUserId);
        var page = await QueryAsync(AccountQuery(_marker, "msdyn_name"), Context with { SecurityFilter = security });
        Assert.Equal(2, page.Rows.Count);
    }

    [Fact]
    public async Task A_value_that_does_not_fit_the_column_is_an_InvalidArgument_fault_naming_both()
    {
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(
            () => NamesAsync("importsequencenumber", ConditionOperator.In, "1", "one"));
        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.Contains("importsequencenumber", fault.Message, StringComparison.Ordinal);
        Assert.Contains("'one'", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pattern_on_a_number_column_is_an_InvalidArgument_fault()
    {
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(
            () => NamesAsync("importsequencenumber", ConditionOperator.Like, "1%"));
        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
    }

    [Fact]
    public async Task An_unknown_column_is_an_AttributeNotFound_fault()
    {
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(
            () => QueryAsync(AccountQuery(_marker, "msdyn_nosuchcolumn")));
        Assert.Equal(ErrorCodes.QueryBuilderNoAttribute, fault.ErrorCode);
        fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(
            () => NamesAsync("msdyn_nosuchcolumn", ConditionOperator.Null));
        Assert.Equal(ErrorCodes.QueryBuilderNoAttribute, fault.ErrorCode);
    }
}

public sealed class ConditionOperatorSqliteTests(SqliteStoreFixture fixture)
    : ConditionOperatorTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class ConditionOperatorPostgresTests(PostgresStoreFixture fixture)
    : ConditionOperatorTests(fixture), IClassFixture<PostgresStoreFixture>;
