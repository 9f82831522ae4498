using ChannelAccounts.Client.Query;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Unit;

public sealed class QueryExpressionToFetchXmlTests
{
    private const string Accounts = "msdyn_ocwhatsappchannelaccount";

    [Fact]
    public void A_linked_query_becomes_fetchxml_with_its_columns_orders_nested_filters_link_and_paging()
    {
        var owner = Guid.Parse("6f0c1d3e-0000-4000-8000-000000000001");
        var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet("msdyn_name", "ownerid") };
        query.Criteria.AddCondition("statecode", ConditionOperator.Equal, new OptionSetValue(0));
        query.Criteria.AddCondition(new ConditionExpression("u", "firstname", ConditionOperator.Contains, "li"));
        var or = query.Criteria.AddFilter(LogicalOperator.Or);
        or.AddCondition("msdyn_name", ConditionOperator.In, "a", "b");
        or.AddCondition(new ConditionExpression("ownerid", ConditionOperator.NotEqual, "createdby") { CompareColumns = true });
        query.AddOrder("msdyn_name", OrderType.Descending);
        var link = query.AddLink("systemuser", "ownerid", "systemuserid", JoinOperator.LeftOuter);
        link.EntityAlias = "u";
        link.Columns = new ColumnSet("domainname");
        link.LinkCriteria.AddCondition("systemuserid", ConditionOperator.Equal, new EntityReference("systemuser", owner));
        link.LinkCriteria.AddCondition("isdisabled", ConditionOperator.Equal, false);
        query.PageInfo = new PagingInfo { Count = 2, PageNumber = 3, PagingCookie = "<cookie page=\"2\" keyset=\"k\" />", ReturnTotalRecordCount = true };

        Assert.Equal(
            "<fetch version=\"1.0\" mapping=\"logical\" count=\"2\" page=\"3\" paging-cookie=\"&lt;cookie page=&quot;2&quot; keyset=&quot;k&quot; /&gt;\" returntotalrecordcount=\"true\">" +
            $"<entity name=\"{Accounts}\"><attribute name=\"msdyn_name\" /><attribute name=\"ownerid\" /><order attribute=\"msdyn_name\" descending=\"true\" />" +
            "<filter type=\"and\"><condition attribute=\"statecode\" operator=\"eq\" value=\"0\" />" +
            "<condition entityname=\"u\" attribute=\"firstname\" operator=\"like\" value=\"%li%\" />" +
            "<filter type=\"or\"><condition attribute=\"msdyn_name\" operator=\"in\"><value>a</value><value>b</value></condition>" +
            "<condition attribute=\"ownerid\" operator=\"ne\" valueof=\"createdby\" /></filter></filter>" +
            "<link-entity name=\"systemuser\" from=\"systemuserid\" to=\"ownerid\" alias=\"u\" link-type=\"outer\"><attribute name=\"domainname\" />" +
            $"<filter type=\"and\"><condition attribute=\"systemuserid\" operator=\"eq\" value=\"{owner}\" /><condition attribute=\"isdisabled\" operator=\"eq\" value=\"0\" /></filter>" +
            "</link-entity></entity></fetch>",
            QueryExpressionToFetchXml.Convert(query));
    }

    [Fact]
    public void A_nested_link_becomes_a_link_entity_inside_its_link_entity()
    {
        var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet("msdyn_name") };
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid");
        owner.Columns = new ColumnSet("fullname");
        owner.AddLink("businessunit", "businessunitid", "businessunitid", JoinOperator.LeftOuter).EntityAlias = "unit";

        Assert.Equal(
            $"<fetch version=\"1.0\" mapping=\"logical\"><entity name=\"{Accounts}\"><attribute name=\"msdyn_name\" />" +
            "<link-entity name=\"systemuser\" from=\"systemuserid\" to=\"ownerid\" alias=\"systemuser\" link-type=\"inner\"><attribute name=\"fullname\" />" +
            "<link-entity name=\"businessunit\" from=\"businessunitid\" to=\"businessunitid\" alias=\"unit\" link-type=\"outer\" />" +
            "</link-entity></entity></fetch>",
            QueryExpressionToFetchXml.Convert(query));
    }

    [Fact]
    public void Orders_naming_a_link_and_a_links_own_orders_keep_their_fetchxml_places()
    {
        var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet("msdyn_name") };
        query.Orders.Add(new OrderExpression("fullname", OrderType.Descending) { EntityName = "u" });
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid");
        owner.EntityAlias = "u";
        owner.Orders.Add(new OrderExpression("lastname", OrderType.Ascending));

        Assert.Equal(
            $"<fetch version=\"1.0\" mapping=\"logical\"><entity name=\"{Accounts}\"><attribute name=\"msdyn_name\" />" +
            "<order attribute=\"fullname\" descending=\"true\" entityname=\"u\" />" +
            "<link-entity name=\"systemuser\" from=\"systemuserid\" to=\"ownerid\" alias=\"u\" link-type=\"inner\"><order attribute=\"lastname\" descending=\"false\" /></link-entity>" +
            "</entity></fetch>",
            QueryExpressionToFetchXml.Convert(query));
    }

    [Fact]
    public void Top_all_columns_between_and_valueless_operators_take_their_fetchxml_forms()
    {
        var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet(true), TopCount = 5 };
        query.Criteria.AddCondition("importsequencenumber", ConditionOperator.Between, 1, 9);
        query.Criteria.AddCondition("ownerid", ConditionOperator.EqualUserId);
        query.Criteria.AddCondition("createdon", ConditionOperator.OnOrAfter, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        query.AddLink("systemuser", "ownerid", "systemuserid");

        Assert.Equal(
            $"<fetch version=\"1.0\" mapping=\"logical\" top=\"5\"><entity name=\"{Accounts}\"><all-attributes />" +
            "<filter type=\"and\"><condition attribute=\"importsequencenumber\" operator=\"between\"><value>1</value><value>9</value></condition>" +
            "<condition attribute=\"ownerid\" operator=\"eq-userid\" />" +
            "<condition attribute=\"createdon\" operator=\"on-or-after\" value=\"2026-01-02T03:04:05Z\" /></filter>" +
            "<link-entity name=\"systemuser\" from=\"systemuserid\" to=\"ownerid\" alias=\"systemuser\" link-type=\"inner\" /></entity></fetch>",
            QueryExpressionToFetchXml.Convert(query));
    }

    [Fact]
    public void A_filters_test_of_related_rows_is_a_link_entity_inside_the_filter_with_its_link_type_and_no_columns()
    {
        var query = new QueryExpression("systemuser") { ColumnSet = new ColumnSet("fullname") };
        var or = query.Criteria.AddFilter(LogicalOperator.Or);
        or.AddCondition("firstname", ConditionOperator.Equal, "ned");
        or.AnyAllFilterLinkEntity = new LinkEntity("systemuser", Accounts, "systemuserid", "owninguser", JoinOperator.NotAll) { Columns = new ColumnSet("msdyn_name") };
        or.AnyAllFilterLinkEntity.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 1);
        query.LinkEntities.Add(new LinkEntity("systemuser", "teammembership", "systemuserid", "systemuserid", JoinOperator.Exists) { EntityAlias = "m" });

        Assert.Equal(
            "<fetch version=\"1.0\" mapping=\"logical\"><entity name=\"systemuser\"><attribute name=\"fullname\" />" +
            "<filter type=\"and\"><filter type=\"or\"><condition attribute=\"firstname\" operator=\"eq\" value=\"ned\" />" +
            $"<link-entity name=\"{Accounts}\" from=\"owninguser\" to=\"systemuserid\" alias=\"{Accounts}\" link-type=\"not all\">" +
            "<filter type=\"and\"><condition attribute=\"statecode\" operator=\"eq\" value=\"1\" /></filter></link-entity></filter></filter>" +
            "<link-entity name=\"teammembership\" from=\"systemuserid\" to=\"systemuserid\" alias=\"m\" link-type=\"exists\" /></entity></fetch>",
            QueryExpressionToFetchXml.Convert(query));
    }

    [Fact]
    public void A_match_first_row_link_keeps_its_columns_and_its_link_type()
    {
        var query = new QueryExpression("systemuser") { ColumnSet = new ColumnSet("fullname") };
        query.AddLink(Accounts, "systemuserid", "createdby", JoinOperator.MatchFirstRowUsingCrossApply).Columns = new ColumnSet("msdyn_name");

        Assert.Contains("link-type=\"matchfirstrowusingcrossapply\"><attribute name=\"msdyn_name\" /></link-entity>", QueryExpressionToFetchXml.Convert(query));
    }

    [Theory]
    [InlineData("plain", false)]
    [InlineData("like x%", false)]
    [InlineData("like x_y", true)]
    [InlineData("compare columns", true)]
    [InlineData("linked condition in a nested filter", true)]
    [InlineData("link", true)]
    [InlineData("test of related rows in a nested filter", true)]
    public void Only_what_the_query_options_cannot_say_goes_as_fetchxml(string shape, bool expected)
    {
        var query = new QueryExpression(Accounts);
        var nested = query.Criteria.AddFilter(LogicalOperator.Or);
        switch (shape)
        {
            case "like x%": nested.AddCondition("msdyn_name", ConditionOperator.Like, "x%"); break;
            case "like x_y": nested.AddCondition("msdyn_name", ConditionOperator.NotLike, "x_y"); break;
            case "compare columns": nested.AddCondition(new ConditionExpression("ownerid", ConditionOperator.Equal, "createdby") { CompareColumns = true }); break;
            case "linked condition in a nested filter": nested.AddCondition(new ConditionExpression("u", "firstname", ConditionOperator.Equal, "x")); break;
            case "link": query.AddLink("systemuser", "ownerid", "systemuserid"); break;
            case "test of related rows in a nested filter": nested.AnyAllFilterLinkEntity = new LinkEntity(Accounts, "systemuser", "ownerid", "systemuserid", JoinOperator.Any); break;
            default: nested.AddCondition("msdyn_name", ConditionOperator.Equal, "x"); break;
        }

        Assert.Equal(expected, ODataQueryBuilder.NeedsFetchXml(query));
    }
}
