using System.Text.Json;
using ChannelAccounts.Server.WebApi.Query;

namespace ChannelAccounts.Server.Tests.WebApi.Query;

/// <summary>The copies the translation cache hands out: equal to the original, and sharing nothing mutable with it.</summary>
public sealed class QueryCopyTests
{
    private static readonly ODataQueryOptions Rich = new(
        Select: "msdyn_name,statecode",
        Filter: "statecode eq 0 and (startswith(msdyn_name,'A') or contains(msdyn_name,'b'))",
        OrderBy: "msdyn_name desc",
        Expand: "createdby($select=fullname)",
        Top: "7");

    [Fact]
    public void A_copy_serialises_like_the_original()
    {
        var original = Queries.Translate(Rich).Query;
        original.PageInfo.PagingCookie = "cookie";
        original.PageInfo.PageNumber = 3;
        Assert.NotEmpty(original.LinkEntities);

        Assert.Equal(JsonSerializer.Serialize(original), JsonSerializer.Serialize(QueryCopy.Of(original)));
    }

    [Fact]
    public void Changing_a_copy_leaves_the_original_alone()
    {
        var original = Queries.Translate(Rich).Query;
        var before = JsonSerializer.Serialize(original);

        var copy = QueryCopy.Of(original);
        copy.ColumnSet.Columns.Add("versionnumber");
        copy.Criteria.Conditions.Add(new Sdk.Query.ConditionExpression("msdyn_name", Sdk.Query.ConditionOperator.Null));
        copy.Criteria.Filters[0].Conditions[0].Values.Add("x");
        copy.Orders.Clear();
        copy.LinkEntities[0].Columns.Columns.Add("x");
        copy.LinkEntities.Clear();
        copy.PageInfo.PagingCookie = "changed";

        Assert.Equal(before, JsonSerializer.Serialize(original));
    }
}
