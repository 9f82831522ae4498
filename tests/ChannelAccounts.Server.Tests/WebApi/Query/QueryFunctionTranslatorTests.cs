using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using static ChannelAccounts.Server.Tests.WebApi.Query.Queries;

namespace ChannelAccounts.Server.Tests.WebApi.Query;

public sealed class QueryFunctionTranslatorTests
{
    private const string Crm = "Microsoft.Dynamics.CRM.";

    [Fact]
    public void In_with_an_inline_array_becomes_an_In_condition()
    {
        AssertCondition(Condition(Crm + "In(PropertyName='msdyn_name',PropertyValues=[\"a\",\"b\"])"),
            "msdyn_name", ConditionOperator.In, "a", "b");
    }

    [Fact]
    public void In_with_parameter_aliases_reads_the_json_array_including_a_quote()
    {
        AssertCondition(Condition(Crm + "In(PropertyName=@p1,PropertyValues=@p2)", ("@p1", "'msdyn_name'"), ("@p2", "[\"OBrian\",\"O'Brian\"]")),
            "msdyn_name", ConditionOperator.In, "OBrian", "O'Brian");
    }

    [Fact]
    public void NotIn_converts_values_by_the_column_type()
    {
        AssertCondition(Condition(Crm + "NotIn(PropertyName='statuscode',PropertyValues=[\"1\",\"2\"])"),
            "statuscode", ConditionOperator.NotIn, 1, 2);
    }

    [Fact]
    public void In_on_a_lookup_value_property_is_on_the_lookup_column_with_guids()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        AssertCondition(Condition(Crm + $"In(PropertyName='_ownerid_value',PropertyValues=[\"{a}\",\"{b}\"])"),
            "ownerid", ConditionOperator.In, a, b);
        AssertCondition(Condition(Crm + $"In(PropertyName='ownerid',PropertyValues=[\"{a}\"])"), "ownerid", ConditionOperator.In, a);
    }

    [Fact]
    public void Between_and_NotBetween_take_two_values()
    {
        AssertCondition(Condition(Crm + "Between(PropertyName='importsequencenumber',PropertyValues=[\"5\",\"2000\"])"),
            "importsequencenumber", ConditionOperator.Between, 5, 2000);
        AssertCondition(Condition(Crm + "NotBetween(PropertyName='versionnumber',PropertyValues=[\"5\",\"2000\"])"),
            "versionnumber", ConditionOperator.NotBetween, 5L, 2000L);
    }

    [Fact]
    public void Between_with_other_than_two_values_is_refused()
    {
        var fault = Fault(new(Filter: Crm + "Between(PropertyName='importsequencenumber',PropertyValues=[\"5\"])"));
        Assert.Equal("The function 'Between' requires exactly 2 values in PropertyValues.", fault.Message);
    }

    [Theory]
    [InlineData("On", ConditionOperator.On)]
    [InlineData("OnOrAfter", ConditionOperator.OnOrAfter)]
    [InlineData("OnOrBefore", ConditionOperator.OnOrBefore)]
    public void On_functions_take_a_date_as_utc_midnight(string function, ConditionOperator op)
    {
        AssertCondition(Condition(Crm + function + "(PropertyName='createdon',PropertyValue='2024-05-06')"),
            "createdon", op, new DateTime(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc));
    }

    [Theory]
    [InlineData("Today", ConditionOperator.Today)]
    [InlineData("Yesterday", ConditionOperator.Yesterday)]
    [InlineData("Tomorrow", ConditionOperator.Tomorrow)]
    [InlineData("Last7Days", ConditionOperator.Last7Days)]
    [InlineData("Next7Days", ConditionOperator.Next7Days)]
    public void Relative_date_functions_take_only_the_property_name(string function, ConditionOperator op)
    {
        AssertCondition(Condition(Crm + function + "(PropertyName='modifiedon')"), "modifiedon", op);
    }

    [Theory]
    [InlineData("LastXDays", ConditionOperator.LastXDays)]
    [InlineData("NextXDays", ConditionOperator.NextXDays)]
    public void X_days_functions_take_a_day_count(string function, ConditionOperator op)
    {
        AssertCondition(Condition(Crm + function + "(PropertyName='createdon',PropertyValue=7)"), "createdon", op, 7);
        AssertCondition(Condition(Crm + function + "(PropertyName=@p1,PropertyValue=@p2)", ("@p1", "'createdon'"), ("@p2", "12")),
            "createdon", op, 12);
    }

    [Theory]
    [InlineData("EqualUserId", ConditionOperator.EqualUserId)]
    [InlineData("NotEqualUserId", ConditionOperator.NotEqualUserId)]
    [InlineData("EqualBusinessId", ConditionOperator.EqualBusinessId)]
    [InlineData("NotEqualBusinessId", ConditionOperator.NotEqualBusinessId)]
    public void User_and_business_functions_accept_the_value_property_name(string function, ConditionOperator op)
    {
        AssertCondition(Condition(Crm + function + "(PropertyName='_owninguser_value')"), "owninguser", op);
    }

    [Fact]
    public void A_query_function_combines_with_other_conditions()
    {
        var filter = Filter("statecode eq 0 and " + Crm + "Today(PropertyName='createdon')");
        Assert.Equal([ConditionOperator.Equal, ConditionOperator.Today], filter.Conditions.Select(c => c.Operator));
    }

    [Fact]
    public void Not_around_a_query_function_is_refused_with_Dataverse_message()
    {
        var fault = Fault(new(Filter: "not " + Crm + "Today(PropertyName='createdon')"));
        Assert.Equal("Not operator along with the Custom Named Condition operators is not allowed", fault.Message);
    }

    [Fact]
    public void Not_pushed_down_onto_a_query_function_is_refused_too()
    {
        var fault = Fault(new(Filter: "not (statecode eq 0 and " + Crm + "Today(PropertyName='createdon'))"));
        Assert.Equal("Not operator along with the Custom Named Condition operators is not allowed", fault.Message);
    }

    [Fact]
    public void An_unknown_property_name_is_refused_as_Dataverse_does()
    {
        var fault = Assert.Throws<OrganizationServiceFaultException>(() => Filter(Crm + "Today(PropertyName='nosuchcolumn')"));
        Assert.Equal(ErrorCodes.QueryBuilderNoAttribute, fault.ErrorCode);
        Assert.Equal("'msdyn_ocwhatsappchannelaccount' entity doesn't contain attribute with Name = 'nosuchcolumn' and NameMapping = 'Logical'.",
            fault.Message);
    }

    [Fact]
    public void An_unknown_function_is_the_parser_error()
    {
        var fault = Fault(new(Filter: Crm + "Bogus(PropertyName='createdon')"));
        Assert.Equal("An unknown function with name 'Microsoft.Dynamics.CRM.Bogus' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.",
            fault.Message);
    }

    [Fact]
    public void A_value_the_column_cannot_hold_is_refused()
    {
        var fault = Fault(new(Filter: Crm + "In(PropertyName='statecode',PropertyValues=[\"abc\"])"));
        Assert.Equal("The value 'abc' is not valid for the column 'statecode' of type State.", fault.Message);
    }
}
