using ChannelAccounts.Engine.Query.Aggregates;
using ChannelAccounts.Engine.Query.FetchXml;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Tests.Query;

public sealed class FetchXmlParserTests
{
    private static QueryExpression Query(string xml) => FetchXmlParser.Parse(xml).Query!;

    [Fact]
    public void Fetch_attributes_entity_columns_orders_and_paging_become_a_query_expression()
    {
        var query = Query("<fetch count='50' page='2' returntotalrecordcount='true' distinct='true'><entity name='msdyn_ocwhatsappchannelaccount'>" +
                          "<attribute name='msdyn_name' /><attribute name='createdon' /><order attribute='createdon' descending='true' /></entity></fetch>");

        Assert.Equal("msdyn_ocwhatsappchannelaccount", query.EntityName);
        Assert.Equal(["msdyn_name", "createdon"], query.ColumnSet.Columns);
        Assert.Equal(OrderType.Descending, Assert.Single(query.Orders).OrderType);
        Assert.Equal((50, 2, true, true), (query.PageInfo.Count, query.PageInfo.PageNumber, query.PageInfo.ReturnTotalRecordCount, query.Distinct));
    }

    [Fact]
    public void All_attributes_and_top_are_read()
    {
        var query = Query("<fetch top='5'><entity name='x'><all-attributes /></entity></fetch>");

        Assert.True(query.ColumnSet.AllColumns);
        Assert.Equal(5, query.TopCount);
    }

    [Theory]
    [InlineData("eq", ConditionOperator.Equal)]
    [InlineData("ne", ConditionOperator.NotEqual)]
    [InlineData("gt", ConditionOperator.GreaterThan)]
    [InlineData("ge", ConditionOperator.GreaterEqual)]
    [InlineData("lt", ConditionOperator.LessThan)]
    [InlineData("le", ConditionOperator.LessEqual)]
    [InlineData("like", ConditionOperator.Like)]
    [InlineData("not-like", ConditionOperator.NotLike)]
    [InlineData("begins-with", ConditionOperator.BeginsWith)]
    [InlineData("not-begin-with", ConditionOperator.DoesNotBeginWith)]
    [InlineData("ends-with", ConditionOperator.EndsWith)]
    [InlineData("not-end-with", ConditionOperator.DoesNotEndWith)]
    [InlineData("last-x-days", ConditionOperator.LastXDays)]
    [InlineData("next-x-days", ConditionOperator.NextXDays)]
    [InlineData("on", ConditionOperator.On)]
    [InlineData("on-or-after", ConditionOperator.OnOrAfter)]
    [InlineData("on-or-before", ConditionOperator.OnOrBefore)]
    public void Each_single_value_operator_maps_to_its_condition_operator(string name, ConditionOperator expected)
    {
        var condition = Query($"<fetch><entity name='x'><filter><condition attribute='a' operator='{name}' value='v' /></filter></entity></fetch>")
            .Criteria.Filters[0].Conditions[0];

        Assert.Equal((expected, "a"), (condition.Operator, condition.AttributeName));
        Assert.Equal(["v"], condition.Values);
    }

    [Theory]
    [InlineData("null", ConditionOperator.Null)]
    [InlineData("not-null", ConditionOperator.NotNull)]
    [InlineData("eq-userid", ConditionOperator.EqualUserId)]
    [InlineData("ne-userid", ConditionOperator.NotEqualUserId)]
    [InlineData("eq-businessid", ConditionOperator.EqualBusinessId)]
    [InlineData("today", ConditionOperator.Today)]
    [InlineData("yesterday", ConditionOperator.Yesterday)]
    [InlineData("tomorrow", ConditionOperator.Tomorrow)]
    [InlineData("last-seven-days", ConditionOperator.Last7Days)]
    [InlineData("next-seven-days", ConditionOperator.Next7Days)]
    public void Each_operator_without_a_value_maps_to_its_condition_operator(string name, ConditionOperator expected)
    {
        var condition = Query($"<fetch><entity name='x'><filter><condition attribute='a' operator='{name}' /></filter></entity></fetch>")
            .Criteria.Filters[0].Conditions[0];

        Assert.Equal(expected, condition.Operator);
        Assert.Empty(condition.Values);
    }

    [Theory]
    [InlineData("in", ConditionOperator.In)]
    [InlineData("not-in", ConditionOperator.NotIn)]
    [InlineData("between", ConditionOperator.Between)]
    [InlineData("not-between", ConditionOperator.NotBetween)]
    public void Value_elements_carry_the_values_of_multi_value_operators(string name, ConditionOperator expected)
    {
        var condition = Query($"<fetch><entity name='x'><filter><condition attribute='a' operator='{name}'><value>1</value><value>2</value></condition></filter></entity></fetch>")
            .Criteria.Filters[0].Conditions[0];

        Assert.Equal(expected, condition.Operator);
        Assert.Equal(["1", "2"], condition.Values);
    }

    [Fact]
    public void Nested_filters_keep_their_and_or_types()
    {
        var filter = Query("<fetch><entity name='x'><filter type='or'><condition attribute='a' operator='null' />" +
                           "<filter type='and'><condition attribute='b' operator='null' /><condition attribute='c' operator='null' /></filter></filter></entity></fetch>")
            .Criteria.Filters[0];

        Assert.Equal(LogicalOperator.Or, filter.FilterOperator);
        Assert.Equal(LogicalOperator.And, filter.Filters[0].FilterOperator);
        Assert.Equal(2, filter.Filters[0].Conditions.Count);
    }

    [Fact]
    public void Link_entity_becomes_a_link_with_columns_and_criteria()
    {
        var link = Assert.Single(Query("<fetch><entity name='x'><link-entity name='systemuser' from='systemuserid' to='createdby' alias='u' link-type='outer'>" +
                                       "<attribute name='fullname' /><filter><condition attribute='isdisabled' operator='eq' value='0' /></filter></link-entity></entity></fetch>").LinkEntities);

        Assert.Equal(("systemuser", "createdby", "systemuserid", "u", JoinOperator.LeftOuter),
            (link.LinkToEntityName, link.LinkFromAttributeName, link.LinkToAttributeName, link.EntityAlias, link.JoinOperator));
        Assert.Equal(["fullname"], link.Columns.Columns);
        Assert.Single(link.LinkCriteria.Filters[0].Conditions);
    }

    [Fact]
    public void A_nested_link_entity_becomes_a_link_of_its_link_and_unaliased_links_are_numbered_in_document_order()
    {
        var links = Query("<fetch><entity name='x'><link-entity name='systemuser' from='systemuserid' to='createdby'>" +
                          "<link-entity name='businessunit' from='businessunitid' to='businessunitid' alias='unit'>" +
                          "<link-entity name='organization' from='organizationid' to='organizationid' /></link-entity></link-entity>" +
                          "<link-entity name='team' from='teamid' to='ownerid' /></entity></fetch>").LinkEntities;

        Assert.Equal(["systemuser1", "team4"], links.Select(l => l.EntityAlias));
        var unit = Assert.Single(links[0].LinkEntities);
        Assert.Equal(("systemuser", "businessunit", "businessunitid", "businessunitid", "unit"),
            (unit.LinkFromEntityName, unit.LinkToEntityName, unit.LinkFromAttributeName, unit.LinkToAttributeName, unit.EntityAlias));
        Assert.Equal("organization3", Assert.Single(unit.LinkEntities).EntityAlias);
    }

    [Fact]
    public void An_order_may_name_a_link_by_entityname_and_a_link_entity_may_hold_orders_of_its_own()
    {
        var query = Query("<fetch><entity name='x'><order entityname='u' attribute='fullname' descending='true' /><order attribute='name' />" +
                          "<link-entity name='systemuser' from='systemuserid' to='createdby' alias='u'><order attribute='lastname' /></link-entity></entity></fetch>");

        Assert.Equal([("u", "fullname", OrderType.Descending), (null, "name", OrderType.Ascending)],
            query.Orders.Select(o => (o.EntityName, o.AttributeName, o.OrderType)));
        Assert.Equal("lastname", Assert.Single(Assert.Single(query.LinkEntities).Orders).AttributeName);
    }

    [Fact]
    public void Aggregate_fetch_becomes_an_aggregate_query()
    {
        var aggregate = FetchXmlParser.Parse("<fetch aggregate='true'><entity name='x'><attribute name='createdon' alias='m' groupby='true' dategrouping='month' />" +
                                             "<attribute name='n' alias='total' aggregate='sum' /><attribute name='id' alias='c' aggregate='countcolumn' distinct='true' /></entity></fetch>").Aggregate!;

        Assert.Equal(new GroupKey("createdon", "m", DateGrouping.Month), Assert.Single(aggregate.Groups));
        Assert.Equal([new AggregateColumn(AggregateFunction.Sum, "n", "total"), new AggregateColumn(AggregateFunction.CountColumn, "id", "c", true)], aggregate.Aggregates);
    }

    [Fact]
    public void Attributes_of_a_link_entity_in_an_aggregate_are_groups_and_aggregates_of_that_link()
    {
        var aggregate = FetchXmlParser.Parse("<fetch aggregate='true'><entity name='x'><attribute name='id' alias='n' aggregate='count' />" +
                                             "<link-entity name='systemuser' from='systemuserid' to='owninguser' alias='o'><attribute name='fullname' alias='owner' groupby='true' />" +
                                             "<link-entity name='businessunit' from='businessunitid' to='businessunitid'><attribute name='name' alias='units' aggregate='countcolumn' /></link-entity>" +
                                             "</link-entity></entity></fetch>").Aggregate!;

        Assert.Equal(new GroupKey("fullname", "owner", null, "o"), Assert.Single(aggregate.Groups));
        Assert.Equal([new AggregateColumn(AggregateFunction.Count, "id", "n"), new AggregateColumn(AggregateFunction.CountColumn, "name", "units", LinkAlias: "businessunit2")],
            aggregate.Aggregates);
        Assert.Equal("businessunit", aggregate.TableOf("businessunit2"));
        Assert.Empty(Assert.Single(aggregate.LinkEntities).Columns.Columns);
    }

    [Fact]
    public void The_paging_cookie_annotation_round_trips_to_the_keyset_cookie()
    {
        var annotation = FetchPagingCookie.Annotation(1, "abc_-.xyz");

        Assert.StartsWith("<cookie pagenumber=\"2\" pagingcookie=\"%253ccookie%2520page%253d%25221%2522", annotation);
        Assert.Equal("abc_-.xyz", FetchPagingCookie.Unwrap(annotation));
        var inner = Uri.UnescapeDataString(Uri.UnescapeDataString(annotation));
        // Dataverse's inner cookie: page its only attribute (Xrm-WebApi-Client reads it with <cookie page="(\d+)">),
        // the position in a child element, and an end tag (DynamicsWebApi finds the cookie by it).
        Assert.Matches("pagingcookie=\"<cookie page=\"1\"><[a-z]+ last=\"abc_-.xyz\" /></cookie>\"", inner);
        Assert.Equal("abc_-.xyz", FetchPagingCookie.Unwrap(inner[(inner.IndexOf("<cookie page=", StringComparison.Ordinal))..inner.IndexOf("\" istracking", StringComparison.Ordinal)]));
        Assert.Equal("abc_-.xyz", FetchPagingCookie.Unwrap("<cookie page=\"1\" keyset=\"abc_-.xyz\" />"));
    }

    [Theory]
    [InlineData("<fetch><entity name='x'>")]
    [InlineData("<!DOCTYPE fetch [<!ENTITY e 'boom'>]><fetch><entity name='x'>&e;</entity></fetch>")]
    [InlineData("<fetch><entity name='x'><attribute /></entity></fetch>")]
    [InlineData("<fetch><entity name='x'><filter><condition attribute='a' operator='sounds-like' value='v' /></filter></entity></fetch>")]
    [InlineData("<fetch><entity name='x'><filter type='xor' /></entity></fetch>")]
    [InlineData("<fetch><entity name='x'><bogus /></entity></fetch>")]
    [InlineData("<fetch top='-1'><entity name='x' /></fetch>")]
    [InlineData("<query><entity name='x' /></query>")]
    [InlineData("<fetch aggregate='true'><entity name='x'><attribute name='a' alias='s' aggregate='median' /></entity></fetch>")]
    [InlineData("<fetch><entity name='x'><filter><condition attribute='a' operator='null' value='1' /></filter></entity></fetch>")]
    public void Malformed_or_unsupported_fetchxml_is_an_invalid_argument_fault(string xml)
    {
        var fault = Assert.Throws<OrganizationServiceFaultException>(() => FetchXmlParser.Parse(xml));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
    }

    [Theory]
    [InlineData("<fetch aggregate='true'><entity name='x'><attribute name='a' alias='n' aggregate='count' /><order attribute='a' /></entity></fetch>",
        "orders by the alias")]
    [InlineData("<fetch><entity name='x'><attribute name='a' alias='s' aggregate='sum' /></entity></fetch>", "aggregate=\"true\" on <fetch>")]
    [InlineData("<fetch aggregate='true'><entity name='x'><attribute name='a' /></entity></fetch>", "give 'a' groupby=\"true\" or aggregate=")]
    [InlineData("<fetch aggregate='true'><entity name='x'><attribute name='a' groupby='true' /></entity></fetch>", "needs an alias")]
    public void An_aggregate_mistake_is_refused_saying_what_to_write(string xml, string hint)
    {
        var fault = Assert.Throws<OrganizationServiceFaultException>(() => FetchXmlParser.Parse(xml));

        Assert.Contains(hint, fault.Message);
    }
}
