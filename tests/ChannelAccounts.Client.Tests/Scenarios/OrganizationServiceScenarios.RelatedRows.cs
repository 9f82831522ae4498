using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Scenarios;

/// <summary>
/// Tests of related rows (FilterExpression.AnyAllFilterLinkEntity, JoinOperator.Exists) and QueryExpression.Distinct,
/// in process and over HTTP (as FetchXML link-entity inside a filter, link-type exists, distinct="true").
/// </summary>
public abstract partial class OrganizationServiceScenarios
{
    /// <summary>Users rex and ann own one active account each, mo an active and an inactive one, ned none.</summary>
    private async Task SeedOwnersAsync()
    {
        foreach (var name in new[] { "rex", "ann", "mo", "ned" })
        {
            var user = await AddUserAsync(name, SecurityCatalog.BasicUserRoleId);
            if (name == "ned")
            {
                continue;
            }

            await CreateOwnedAsync($"related {name}", user);
            if (name == "mo")
            {
                var old = await CreateOwnedAsync($"related {name} old", user);
                await Admin.UpdateAsync(new Entity(Accounts, old) { ["statecode"] = new OptionSetValue(1), ["statuscode"] = new OptionSetValue(2) });
            }
        }
    }

    private async Task<List<string?>> OwnerNamesAsync(Action<QueryExpression> shape)
    {
        var query = new QueryExpression("systemuser") { ColumnSet = new ColumnSet("firstname") };
        query.Criteria.AddCondition("lastname", ConditionOperator.Equal, Tag);
        query.AddOrder("firstname", OrderType.Ascending);
        shape(query);
        return (await Admin.RetrieveMultipleAsync(query)).Entities.Select(e => e.GetAttributeValue<string>("firstname")).ToList();
    }

    private static LinkEntity OwnedAccounts(JoinOperator test, bool inactiveOnly = true)
    {
        var link = new LinkEntity("systemuser", Accounts, "systemuserid", "owninguser", test);
        if (inactiveOnly)
        {
            link.LinkCriteria.AddCondition("statecode", ConditionOperator.Equal, 1);
        }

        return link;
    }

    [Fact]
    public async Task A_filters_link_tests_related_rows_as_Dataverse_defines_each_join_operator()
    {
        await SeedOwnersAsync();

        Assert.Equal(["mo"], await OwnerNamesAsync(q => q.Criteria.AnyAllFilterLinkEntity = OwnedAccounts(JoinOperator.Any)));
        Assert.Equal(["ann", "ned", "rex"], await OwnerNamesAsync(q => q.Criteria.AnyAllFilterLinkEntity = OwnedAccounts(JoinOperator.NotAny)));
        Assert.Equal(["ann", "rex"], await OwnerNamesAsync(q => q.Criteria.AnyAllFilterLinkEntity = OwnedAccounts(JoinOperator.All)));
        Assert.Equal(["mo"], await OwnerNamesAsync(q => q.Criteria.AnyAllFilterLinkEntity = OwnedAccounts(JoinOperator.NotAll)));
        Assert.Equal(["mo", "ned"], await OwnerNamesAsync(q =>
        {
            var either = q.Criteria.AddFilter(LogicalOperator.Or);
            either.AnyAllFilterLinkEntity = OwnedAccounts(JoinOperator.Any);
            either.AddCondition("firstname", ConditionOperator.Equal, "ned");
        }));
    }

    [Fact]
    public async Task An_exists_link_and_a_distinct_query_return_each_row_once()
    {
        await SeedOwnersAsync();

        Assert.Equal(["ann", "mo", "rex"], await OwnerNamesAsync(q => q.LinkEntities.Add(OwnedAccounts(JoinOperator.Exists, inactiveOnly: false))));
        Assert.Equal(["ann", "mo", "mo", "rex"], await OwnerNamesAsync(q => q.LinkEntities.Add(OwnedAccounts(JoinOperator.Inner, inactiveOnly: false))));
        Assert.Equal(["ann", "mo", "rex"], await OwnerNamesAsync(q =>
        {
            q.Distinct = true;
            q.LinkEntities.Add(OwnedAccounts(JoinOperator.Inner, inactiveOnly: false));
        }));
    }
}
