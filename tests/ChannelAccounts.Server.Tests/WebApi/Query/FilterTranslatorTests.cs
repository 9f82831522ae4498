using ChannelAccounts.Sdk.Query;
using static ChannelAccounts.Server.Tests.WebApi.Query.Queries;

namespace ChannelAccounts.Server.Tests.WebApi.Query;

public sealed class FilterTranslatorTests
{
    private static readonly Guid Owner = Guid.Parse("11111111-2222-3333-4444-555555555555");

    [Theory]
    [InlineData("eq", ConditionOperator.Equal)]
    [InlineData("ne", ConditionOperator.NotEqual)]
    [InlineData("gt", ConditionOperator.GreaterThan)]
    [InlineData("ge", ConditionOperator.GreaterEqual)]
    [InlineData("lt", ConditionOperator.LessThan)]
    [InlineData("le", ConditionOperator.LessEqual)]
    public void Comparison_operators_become_condition_operators(string odata, ConditionOperator op)
    {
        AssertCondition(Condition($"statecode {odata} 1"), "statecode", op, 1);
    }

    [Fact]
    public void A_literal_on_the_left_mirrors_the_operator()
    {
        AssertCondition(Condition("5 lt importsequencenumber"), "importsequencenumber", ConditionOperator.GreaterThan, 5);
    }

    [Fact]
    public void A_string_literal_stays_a_string_and_a_doubled_quote_is_one_quote()
    {
        AssertCondition(Condition("msdyn_name eq 'O''Bryan'"), "msdyn_name", ConditionOperator.Equal, "O'Bryan");
    }

    [Fact]
    public void A_bigint_column_gets_a_long()
    {
        AssertCondition(Condition("versionnumber gt 5"), "versionnumber", ConditionOperator.GreaterThan, 5L);
    }

    [Fact]
    public void A_date_time_offset_literal_becomes_a_utc_DateTime()
    {
        var condition = Condition("createdon ge 2024-03-01T10:00:00+02:00");
        AssertCondition(condition, "createdon", ConditionOperator.GreaterEqual, new DateTime(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc));
        Assert.Equal(DateTimeKind.Utc, ((DateTime)condition.Values[0]!).Kind);
    }

    [Fact]
    public void A_date_literal_on_a_DateTime_column_is_midnight_utc()
    {
        AssertCondition(Condition("createdon lt 2024-03-01"), "createdon", ConditionOperator.LessThan,
            new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void A_lookup_value_compared_with_a_guid_is_a_condition_on_the_lookup_column()
    {
        AssertCondition(Condition($"_ownerid_value eq {Owner}"), "ownerid", ConditionOperator.Equal, Owner);
    }

    [Fact]
    public void A_lookup_value_compared_with_a_quoted_guid_is_accepted_as_Dataverse_does()
    {
        AssertCondition(Condition($"_ownerid_value eq '{Owner}'"), "ownerid", ConditionOperator.Equal, Owner);
    }

    [Fact]
    public void The_primary_id_compares_with_a_guid()
    {
        AssertCondition(Condition($"msdyn_ocwhatsappchannelaccountid ne {Owner}"), "msdyn_ocwhatsappchannelaccountid",
            ConditionOperator.NotEqual, Owner);
    }

    [Fact]
    public void Eq_null_is_Null_and_ne_null_is_NotNull()
    {
        AssertCondition(Condition("msdyn_name eq null"), "msdyn_name", ConditionOperator.Null);
        AssertCondition(Condition("_owningteam_value ne null"), "owningteam", ConditionOperator.NotNull);
    }

    [Fact]
    public void Comparing_two_columns_sets_CompareColumns()
    {
        var condition = Condition("msdyn_name eq msdyn_provideraccountid");
        Assert.Equal("msdyn_name", condition.AttributeName);
        Assert.Equal(ConditionOperator.Equal, condition.Operator);
        Assert.True(condition.CompareColumns);
        Assert.Equal(["msdyn_provideraccountid"], condition.Values);
    }

    [Fact]
    public void Contains_startswith_and_endswith_become_Like_patterns()
    {
        AssertCondition(Condition("contains(msdyn_name,'sales')"), "msdyn_name", ConditionOperator.Like, "%sales%");
        AssertCondition(Condition("startswith(msdyn_name,'sales')"), "msdyn_name", ConditionOperator.Like, "sales%");
        AssertCondition(Condition("endswith(msdyn_name,'sales')"), "msdyn_name", ConditionOperator.Like, "%sales");
    }

    [Fact]
    public void Wildcards_in_a_like_value_are_passed_through_unescaped()
    {
        AssertCondition(Condition("contains(msdyn_name,'a_b%c')"), "msdyn_name", ConditionOperator.Like, "%a_b%c%");
    }

    [Fact]
    public void And_conditions_sit_in_the_top_level_and_filter()
    {
        var filter = Filter("statecode eq 0 and msdyn_name eq 'a' and versionnumber gt 1");
        Assert.Equal(LogicalOperator.And, filter.FilterOperator);
        Assert.Equal(["statecode", "msdyn_name", "versionnumber"], filter.Conditions.Select(c => c.AttributeName));
        Assert.Empty(filter.Filters);
    }

    [Fact]
    public void A_top_level_or_makes_the_criteria_an_or_filter()
    {
        var filter = Filter("statecode eq 0 or statecode eq 1");
        Assert.Equal(LogicalOperator.Or, filter.FilterOperator);
        Assert.Equal(2, filter.Conditions.Count);
    }

    [Fact]
    public void Parentheses_nest_an_or_inside_an_and()
    {
        var filter = Filter("statecode eq 0 and (msdyn_name eq 'a' or msdyn_name eq 'b')");
        Assert.Equal(LogicalOperator.And, filter.FilterOperator);
        AssertCondition(Assert.Single(filter.Conditions), "statecode", ConditionOperator.Equal, 0);
        var or = Assert.Single(filter.Filters);
        Assert.Equal(LogicalOperator.Or, or.FilterOperator);
        Assert.Equal(["a", "b"], or.Conditions.Select(c => c.Values[0]));
    }

    [Theory]
    [InlineData("not (statecode eq 1)", ConditionOperator.NotEqual)]
    [InlineData("not (statecode ne 1)", ConditionOperator.Equal)]
    [InlineData("not (statecode gt 1)", ConditionOperator.LessEqual)]
    [InlineData("not (statecode le 1)", ConditionOperator.GreaterThan)]
    [InlineData("not (statecode lt 1)", ConditionOperator.GreaterEqual)]
    [InlineData("not (statecode ge 1)", ConditionOperator.LessThan)]
    public void Not_over_a_comparison_negates_the_operator(string filter, ConditionOperator op)
    {
        AssertCondition(Condition(filter), "statecode", op, 1);
    }

    [Fact]
    public void Not_over_eq_null_is_NotNull()
    {
        AssertCondition(Condition("not (msdyn_name eq null)"), "msdyn_name", ConditionOperator.NotNull);
    }

    [Fact]
    public void Not_over_contains_is_NotLike()
    {
        AssertCondition(Condition("not contains(msdyn_name,'x')"), "msdyn_name", ConditionOperator.NotLike, "%x%");
        AssertCondition(Condition("not startswith(msdyn_name,'x')"), "msdyn_name", ConditionOperator.NotLike, "x%");
    }

    [Fact]
    public void Filter_not_over_an_and_is_pushed_down_with_De_Morgan()
    {
        var filter = Filter("not (statecode eq 0 and msdyn_name eq 'a')");
        Assert.Equal(LogicalOperator.Or, filter.FilterOperator);
        AssertCondition(filter.Conditions[0], "statecode", ConditionOperator.NotEqual, 0);
        AssertCondition(filter.Conditions[1], "msdyn_name", ConditionOperator.NotEqual, "a");
    }

    [Fact]
    public void Filter_not_over_an_or_inside_an_and_becomes_a_nested_and()
    {
        var filter = Filter("statecode eq 0 or not (msdyn_name eq 'a' or msdyn_name eq null)");
        Assert.Equal(LogicalOperator.Or, filter.FilterOperator);
        AssertCondition(Assert.Single(filter.Conditions), "statecode", ConditionOperator.Equal, 0);
        var and = Assert.Single(filter.Filters);
        Assert.Equal(LogicalOperator.And, and.FilterOperator);
        AssertCondition(and.Conditions[0], "msdyn_name", ConditionOperator.NotEqual, "a");
        AssertCondition(and.Conditions[1], "msdyn_name", ConditionOperator.NotNull);
    }

    [Fact]
    public void Double_not_cancels_out()
    {
        AssertCondition(Condition("not (not (statecode eq 1))"), "statecode", ConditionOperator.Equal, 1);
    }

    [Fact]
    public void A_parameter_alias_supplies_a_comparison_value()
    {
        AssertCondition(Condition("statecode eq @p1", ("@p1", "1")), "statecode", ConditionOperator.Equal, 1);
        AssertCondition(Condition("msdyn_name eq @p1", ("@p1", "'x'")), "msdyn_name", ConditionOperator.Equal, "x");
    }

    [Fact]
    public void An_alias_may_be_given_without_its_at_sign()
    {
        AssertCondition(Condition("statecode eq @p1", ("p1", "1")), "statecode", ConditionOperator.Equal, 1);
    }
}
