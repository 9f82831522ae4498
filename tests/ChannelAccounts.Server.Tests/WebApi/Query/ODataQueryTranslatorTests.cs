using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Query;
using static ChannelAccounts.Server.Tests.WebApi.Query.Queries;

namespace ChannelAccounts.Server.Tests.WebApi.Query;

public sealed class ODataQueryTranslatorTests
{
    private const string WhatsAppType = "Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount";

    [Fact]
    public void Orderby_becomes_orders_in_sequence()
    {
        var orders = Translate(new(OrderBy: "msdyn_name asc,createdon desc,_ownerid_value")).Query.Orders;
        Assert.Equal([("msdyn_name", OrderType.Ascending), ("createdon", OrderType.Descending), ("ownerid", OrderType.Ascending)],
            orders.Select(o => (o.AttributeName, o.OrderType)));
    }

    [Fact]
    public void Orderby_names_its_columns_through_parameter_aliases_as_Dataverse_allows()
    {
        var aliases = new Dictionary<string, string> { ["@p1"] = "msdyn_name", ["@p2"] = "createdon" };

        var orders = Translate(new(OrderBy: "@p1 desc,@p2", Aliases: aliases)).Query.Orders;

        Assert.Equal([("msdyn_name", OrderType.Descending), ("createdon", OrderType.Ascending)], orders.Select(o => (o.AttributeName, o.OrderType)));
        Assert.StartsWith("The parameter alias @p3 in $orderby has no value in the query string",
            Fault(new(OrderBy: "@p3", Aliases: aliases)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Top_becomes_TopCount()
    {
        Assert.Equal(5, Translate(new(Top: "5")).Query.TopCount);
        Assert.Null(Translate(new()).Query.TopCount);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("3000000000")]
    public void Top_must_be_a_positive_int(string top)
    {
        Assert.Equal($"Invalid value '{top}' for $top query option found. The $top query option requires a positive integer value.",
            Fault(new(Top: top)).Message);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    public void A_top_that_is_not_a_number_is_the_parser_error(string top)
    {
        Assert.Contains("$top", Fault(new(Top: top)).Message);
    }

    [Fact]
    public void Skip_is_refused_as_Dataverse_does()
    {
        Assert.Equal("The query parameter $skip is not supported", Fault(new(Skip: "10")).Message);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void Count_is_read(string? count, bool expected)
    {
        Assert.Equal(expected, Translate(new(Count: count)).Count);
    }

    [Fact]
    public void A_count_that_is_not_a_boolean_is_refused()
    {
        Assert.Equal("'maybe' is not a valid count option.", Fault(new(Count: "maybe")).Message);
    }

    [Fact]
    public void The_skiptoken_is_handed_back_untouched()
    {
        Assert.Equal("<cookie pagenumber=\"2\" />", Translate(new(SkipToken: "<cookie pagenumber=\"2\" />")).SkipToken);
    }

    [Fact]
    public void Options_are_picked_out_of_a_query_string()
    {
        var options = ODataQueryOptions.FromQuery(
        [
            new("$select", "msdyn_name"), new("$filter", "statecode eq @p1"), new("@p1", "0"), new("$top", "3"),
            new("$count", "true"), new("other", "x"),
        ]);
        var result = ODataQueryTranslator.Default.Translate(WhatsApp, options);
        Assert.Equal(["msdyn_name"], result.SelectedProperties);
        AssertCondition(Assert.Single(result.Query.Criteria.Conditions), "statecode", ConditionOperator.Equal, 0);
        Assert.Equal(3, result.Query.TopCount);
        Assert.True(result.Count);
    }

    [Fact]
    public void An_unknown_property_in_select_is_the_parser_error_with_code_0x0()
    {
        var fault = Fault(new(Select: "nosuch"));
        Assert.Equal($"Could not find a property named 'nosuch' on type '{WhatsAppType}'.", fault.Message);
        Assert.Equal("0x0", fault.Detail.HexCode);
    }

    [Fact]
    public void Property_names_are_case_sensitive()
    {
        Assert.Equal($"Could not find a property named 'MSDYN_NAME' on type '{WhatsAppType}'.", Fault(new(Select: "MSDYN_NAME")).Message);
        Assert.Equal($"Could not find a property named 'MSDYN_NAME' on type '{WhatsAppType}'.", Fault(new(Filter: "MSDYN_NAME eq 'a'")).Message);
    }

    [Fact]
    public void An_unknown_property_in_filter_or_orderby_is_the_parser_error()
    {
        Assert.Equal($"Could not find a property named 'x' on type '{WhatsAppType}'.", Fault(new(Filter: "x eq 1")).Message);
        Assert.Equal($"Could not find a property named 'x' on type '{WhatsAppType}'.", Fault(new(OrderBy: "x desc")).Message);
    }

    [Fact]
    public void Name_companions_are_not_properties()
    {
        Assert.Equal($"Could not find a property named 'createdbyname' on type '{WhatsAppType}'.",
            Fault(new(Select: "createdbyname")).Message);
    }

    [Fact]
    public void An_unterminated_literal_is_the_parser_error()
    {
        Assert.Equal("There is an unterminated literal at position 23 in 'msdyn_name eq 'O'Bryan''.",
            Fault(new(Filter: "msdyn_name eq 'O'Bryan'")).Message);
    }

    [Fact]
    public void Comparing_incompatible_types_is_the_parser_error()
    {
        Assert.Equal("A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'.",
            Fault(new(Filter: "statecode eq 'x'")).Message);
    }

    [Fact]
    public void A_function_Dataverse_does_not_support_in_filter_is_refused()
    {
        Assert.Equal("The function 'tolower' is not supported in $filter.", Fault(new(Filter: "tolower(msdyn_name) eq 'a'")).Message);
    }

    [Fact]
    public void A_lookup_path_in_filter_becomes_an_outer_join_and_a_condition_on_its_alias()
    {
        var query = Translate(new(Filter: "createdby/fullname eq 'a' and startswith(owningbusinessunit/name,'B') and createdby/isdisabled")).Query;

        Assert.Equal(["filter_createdby", "filter_owningbusinessunit"], query.LinkEntities.Select(l => l.EntityAlias));
        var createdBy = query.LinkEntities[0];
        Assert.Equal(("systemuser", "createdby", "systemuserid", JoinOperator.LeftOuter),
            (createdBy.LinkToEntityName, createdBy.LinkFromAttributeName, createdBy.LinkToAttributeName, createdBy.JoinOperator));
        Assert.All(query.Criteria.Conditions, c => Assert.StartsWith("filter_", c.EntityName, StringComparison.Ordinal));
        Assert.Equal(["fullname", "name", "isdisabled"], query.Criteria.Conditions.Select(c => c.AttributeName));
    }

    [Fact]
    public void A_path_through_two_lookups_joins_the_second_table_inside_the_first_once_for_every_use()
    {
        var query = Translate(new(Filter: "createdby/businessunitid/name eq 'x' or createdby/businessunitid/name eq null or createdby/fullname eq 'y'")).Query;

        var createdBy = Assert.Single(query.LinkEntities);
        Assert.Equal(("filter_createdby", "systemuser", "createdby"), (createdBy.EntityAlias, createdBy.LinkToEntityName, createdBy.LinkFromAttributeName));
        var unit = Assert.Single(createdBy.LinkEntities);
        Assert.Equal(("filter_createdby_businessunitid", "businessunit", "businessunitid", "businessunitid", JoinOperator.LeftOuter),
            (unit.EntityAlias, unit.LinkToEntityName, unit.LinkFromAttributeName, unit.LinkToAttributeName, unit.JoinOperator));
        Assert.Equal(["filter_createdby_businessunitid", "filter_createdby_businessunitid", "filter_createdby"], query.Criteria.Conditions.Select(c => c.EntityName));
    }

    [Theory]
    [InlineData("statecode has 1", "'has' tests flags of an enumeration")]
    [InlineData("statecode eq 1e0", "takes an integer literal; write '1' without a decimal point or exponent")]
    [InlineData("statecode eq 1.5", "takes a whole number, not the decimal literal '1.5'")]
    [InlineData("versionnumber gt 99999999999999999999999", "out of the range of the column 'versionnumber'")]
    [InlineData("timezoneruleversionnumber eq 99999999999", "out of the range of the column 'timezoneruleversionnumber'")]
    [InlineData("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=99999999999)", "PropertyValue of LastXDays is out of range")]
    [InlineData("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue='abc')", "parameter PropertyValue of LastXDays")]
    [InlineData("cast(1,2) eq 1", "cast and isof take the name of a type")]
    [InlineData("ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage/any(m:$it/msdyn_name eq 'x')", "inside a lambda (any/all)")]
    public void A_filter_mistake_is_reported_in_words_that_say_what_to_fix(string filter, string expected)
    {
        Assert.Contains(expected, Fault(new(Filter: filter)).Message);
    }

    [Fact]
    public void An_expanded_count_is_refused_naming_count_not_ref()
    {
        Assert.Equal("The $expand of 'ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage/$count' is not supported.",
            Fault(new(Expand: "ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage/$count")).Message);
    }

    [Fact]
    public void A_path_through_a_lookup_to_several_tables_is_refused_naming_what_works()
    {
        Assert.Equal("Filtering on the related column 'ownerid/ownerid' is not supported: only a lookup to one table can be followed, and 'ownerid' is not one; " +
            "test _ownerid_value, or a path through lookups to one table such as createdby/businessunitid/name.",
            Fault(new(Filter: "ownerid/ownerid eq null")).Message);
    }

    [Fact]
    public void Arithmetic_in_filter_is_refused()
    {
        Assert.StartsWith("The query node", Fault(new(Filter: "statecode add 1 eq 2")).Message);
    }

    [Theory]
    [InlineData("$filter", "(")]
    [InlineData("$filter", "statecode eq")]
    [InlineData("$filter", "statecode eq 1 and")]
    [InlineData("$filter", "msdyn_name eq 'a' or 1")]
    [InlineData("$filter", "createdon eq 2024-13-45")]
    [InlineData("$filter", "_ownerid_value eq 'not-a-guid'")]
    [InlineData("$filter", "msdyn_name gt null")]
    [InlineData("$filter", "statecode eq 99999999999")]
    [InlineData("$filter", "ownerid/ownerid eq null")]
    [InlineData("$filter", "Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name')")]
    [InlineData("$filter", "Microsoft.Dynamics.CRM.In(PropertyName=@p9,PropertyValues=@p8)")]
    [InlineData("$filter", "Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue='x')")]
    [InlineData("$filter", "Microsoft.Dynamics.CRM.On(PropertyName='createdon',PropertyValue='not a date')")]
    [InlineData("$filter", "microsoft.dynamics.crm.in(PropertyName='msdyn_name',PropertyValues=[\"a\"])")]
    [InlineData("$filter", "contains(msdyn_name,statecode)")]
    [InlineData("$filter", "ownerid eq null")]
    [InlineData("$filter", "msdyn_name")]
    [InlineData("$select", "ownerid/fullname")]
    [InlineData("$orderby", "msdyn_name sideways")]
    [InlineData("$orderby", "tolower(msdyn_name)")]
    [InlineData("$expand", "nosuch")]
    [InlineData("$expand", "createdby(")]
    public void Bad_input_only_ever_raises_a_fault(string option, string value)
    {
        var options = option switch
        {
            "$filter" => new ODataQueryOptions(Filter: value),
            "$select" => new ODataQueryOptions(Select: value),
            "$orderby" => new ODataQueryOptions(OrderBy: value),
            _ => new ODataQueryOptions(Expand: value),
        };
        var error = Record.Exception(() => Translate(options));
        Assert.IsType<OrganizationServiceFaultException>(error);
    }
}
