using ChannelAccounts.Client.Json;
using ChannelAccounts.Client.Query;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Unit;

public sealed class QueryTranslationTests
{
    private static readonly TableShape Accounts = new("msdyn_ocwhatsappchannelaccount", "msdyn_ocwhatsappchannelaccounts", "msdyn_ocwhatsappchannelaccountid",
        new Dictionary<string, string>
        {
            ["msdyn_name"] = "Edm.String",
            ["statecode"] = "Edm.Int32",
            ["createdon"] = "Edm.DateTimeOffset",
            ["_ownerid_value"] = "Edm.Guid",
        }, null);

    [Theory]
    [InlineData(ConditionOperator.Equal, "msdyn_name eq 'O''Neil'")]
    [InlineData(ConditionOperator.NotEqual, "msdyn_name ne 'O''Neil'")]
    [InlineData(ConditionOperator.BeginsWith, "startswith(msdyn_name,'O''Neil')")]
    [InlineData(ConditionOperator.DoesNotContain, "not contains(msdyn_name,'O''Neil')")]
    [InlineData(ConditionOperator.In, "Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name',PropertyValues=['O''Neil'])")]
    public void Condition_operators_become_odata_comparisons_string_functions_or_query_functions(ConditionOperator op, string expected)
    {
        var filter = new FilterExpression();
        filter.AddCondition("msdyn_name", op, "O'Neil");

        Assert.Equal(expected, ODataQueryBuilder.Filter(filter, Accounts));
    }

    [Fact]
    public void Lookups_are_filtered_selected_and_ordered_by_their_value_property_and_nested_filters_keep_their_logic()
    {
        var owner = Guid.NewGuid();
        var query = new QueryExpression("msdyn_ocwhatsappchannelaccount") { ColumnSet = new ColumnSet("msdyn_name", "ownerid"), TopCount = 3 };
        query.Criteria.AddCondition("ownerid", ConditionOperator.Equal, new EntityReference("systemuser", owner));
        var or = query.Criteria.AddFilter(LogicalOperator.Or);
        or.AddCondition("statecode", ConditionOperator.Equal, new OptionSetValue(0));
        or.AddCondition("createdon", ConditionOperator.LastXDays, 7);
        query.AddOrder("ownerid", OrderType.Descending);
        query.PageInfo.ReturnTotalRecordCount = true;

        var options = Uri.UnescapeDataString(ODataQueryBuilder.Build(query, Accounts));

        Assert.Equal(
            $"$select=msdyn_name,_ownerid_value&$filter=_ownerid_value eq {owner} and (statecode eq 0 or Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=7))&$orderby=_ownerid_value desc&$top=3&$count=true",
            options);
    }

    [Theory]
    [InlineData("Cont%", "startswith(msdyn_name,'Cont')")]
    [InlineData("%oso", "endswith(msdyn_name,'oso')")]
    [InlineData("%nto%", "contains(msdyn_name,'nto')")]
    [InlineData("Contoso", "msdyn_name eq 'Contoso'")]
    public void Like_patterns_with_leading_or_trailing_wildcards_become_string_functions(string pattern, string expected)
    {
        var filter = new FilterExpression();
        filter.AddCondition("msdyn_name", ConditionOperator.Like, pattern);

        Assert.Equal(expected, ODataQueryBuilder.Filter(filter, Accounts));
    }

    [Theory]
    [InlineData(ConditionOperator.ThisMonth, null, "Microsoft.Dynamics.CRM.ThisMonth(PropertyName='createdon')", "this-month")]
    [InlineData(ConditionOperator.LastXHours, 6, "Microsoft.Dynamics.CRM.LastXHours(PropertyName='createdon',PropertyValue=6)", "last-x-hours")]
    [InlineData(ConditionOperator.OlderThanXMonths, 2, "Microsoft.Dynamics.CRM.OlderThanXMonths(PropertyName='createdon',PropertyValue=2)", "olderthan-x-months")]
    [InlineData(ConditionOperator.NotOn, "2026-03-14", "Microsoft.Dynamics.CRM.NotOn(PropertyName='createdon',PropertyValue='2026-03-14')", "not-on")]
    public void Date_operators_become_their_query_function_and_their_FetchXML_operator(ConditionOperator op, object? value, string odata, string fetchXml)
    {
        var filter = new FilterExpression();
        filter.AddCondition(value is null ? new ConditionExpression("createdon", op) : new ConditionExpression("createdon", op, value));

        Assert.Equal(odata, ODataQueryBuilder.Filter(filter, Accounts));
        Assert.Equal(fetchXml, QueryExpressionToFetchXml.OperatorName(op));
    }

    [Fact]
    public void An_operator_that_takes_no_value_refuses_one_rather_than_drop_it()
    {
        var filter = new FilterExpression();
        filter.AddCondition("createdon", ConditionOperator.ThisMonth, 3);

        Assert.Contains("takes no value", Assert.Throws<ArgumentException>(() => ODataQueryBuilder.Filter(filter, Accounts)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Team_operators_become_their_query_function()
    {
        var filter = new FilterExpression();
        filter.AddCondition("ownerid", ConditionOperator.EqualUserOrUserTeams);

        Assert.Equal("Microsoft.Dynamics.CRM.EqualUserOrUserTeams(PropertyName='ownerid')", ODataQueryBuilder.Filter(filter, Accounts));
    }

    [Fact]
    public void What_the_web_api_cannot_express_is_refused_naming_it()
    {
        var like = new FilterExpression();
        like.AddCondition("msdyn_name", ConditionOperator.Like, "C%n_o");
        var columns = new FilterExpression();
        columns.AddCondition(new ConditionExpression("msdyn_name", ConditionOperator.Equal, "msdyn_provideraccountid") { CompareColumns = true });
        var linked = new QueryExpression("msdyn_ocwhatsappchannelaccount");
        linked.AddLink("systemuser", "ownerid", "systemuserid");

        Assert.Contains("C%n_o", Assert.Throws<NotSupportedException>(() => ODataQueryBuilder.Filter(like, Accounts)).Message, StringComparison.Ordinal);
        Assert.Contains("CompareColumns", Assert.Throws<NotSupportedException>(() => ODataQueryBuilder.Filter(columns, Accounts)).Message, StringComparison.Ordinal);
        Assert.Contains("LinkEntities", Assert.Throws<NotSupportedException>(() => ODataQueryBuilder.Build(linked, Accounts)).Message, StringComparison.Ordinal);
    }
}
