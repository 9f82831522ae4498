using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Scenarios;

/// <summary>Queries the Web API's query options cannot say (links, column comparisons, like patterns), sent over HTTP as FetchXML.</summary>
public abstract partial class OrganizationServiceScenarios
{
    [Fact]
    public async Task An_inner_link_to_the_owner_returns_its_columns_as_aliased_values_and_filters_on_them()
    {
        var linda = await AddUserAsync("linda", SecurityCatalog.BasicUserRoleId);
        var mark = await AddUserAsync("mark", SecurityCatalog.BasicUserRoleId);
        var lindas = await CreateOwnedAsync("inner a", linda);
        await CreateOwnedAsync("inner b", mark);
        await Admin.CreateAsync(Account("inner c"));

        var query = AccountsNamed("inner");
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid");
        owner.EntityAlias = "owner";
        owner.Columns = new ColumnSet("domainname", "firstname");
        owner.LinkCriteria.AddCondition("lastname", ConditionOperator.Equal, Tag);
        query.Criteria.AddCondition(new ConditionExpression("owner", "firstname", ConditionOperator.Equal, "linda"));
        var found = await Admin.RetrieveMultipleAsync(query);

        var record = Assert.Single(found.Entities);
        Assert.Equal(lindas, record.Id);
        var domain = record.GetAttributeValue<AliasedValue>("owner.domainname")!;
        Assert.Equal("systemuser", domain.EntityLogicalName);
        Assert.Equal("domainname", domain.AttributeLogicalName);
        Assert.Equal($"linda.{Tag}@example.test".ToLowerInvariant(), domain.Value);
        Assert.Equal("linda", record.GetAttributeValue<AliasedValue>("owner.firstname")!.Value);
        Assert.Equal(new EntityReference("systemuser", linda), record.GetAttributeValue<EntityReference>("ownerid"));
    }

    [Fact]
    public async Task A_nested_link_reads_the_owners_business_unit_and_conditions_may_name_it()
    {
        var user = await AddUserAsync("nested", SecurityCatalog.BasicUserRoleId);
        var id = await CreateOwnedAsync("nested a", user);
        await Admin.CreateAsync(Account("nested b"));

        var query = AccountsNamed("nested");
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid", JoinOperator.LeftOuter);
        owner.EntityAlias = "owner";
        owner.Columns = new ColumnSet("firstname");
        var unit = owner.AddLink("businessunit", "businessunitid", "businessunitid", JoinOperator.LeftOuter);
        unit.EntityAlias = "ownerunit";
        unit.Columns = new ColumnSet("name");
        query.Criteria.AddCondition(new ConditionExpression("owner", "firstname", ConditionOperator.Equal, "nested"));
        var record = Assert.Single((await Admin.RetrieveMultipleAsync(query)).Entities);

        Assert.Equal(id, record.Id);
        var name = record.GetAttributeValue<AliasedValue>("ownerunit.name")!;
        Assert.Equal("businessunit", name.EntityLogicalName);
        Assert.False(string.IsNullOrEmpty(name.Value as string));
    }

    [Fact]
    public async Task Linked_lookups_booleans_and_dates_come_back_typed_with_their_formatted_values()
    {
        var user = await AddUserAsync("typed", SecurityCatalog.BasicUserRoleId);
        var id = await CreateOwnedAsync("typed", user);

        var query = AccountsNamed("typed");
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid");
        owner.EntityAlias = "owner";
        owner.Columns = new ColumnSet("businessunitid", "isdisabled", "createdon");
        var record = Assert.Single((await Admin.RetrieveMultipleAsync(query)).Entities);

        Assert.Equal(id, record.Id);
        var unit = Assert.IsType<EntityReference>(record.GetAttributeValue<AliasedValue>("owner.businessunitid")?.Value);
        Assert.Equal(new EntityReference("businessunit", world.Organization.RootBusinessUnitId), unit);
        Assert.Equal(false, record.GetAttributeValue<AliasedValue>("owner.isdisabled")?.Value);
        Assert.Equal("No", record.FormattedValues["owner.isdisabled"]);
        var createdOn = Assert.IsType<DateTime>(record.GetAttributeValue<AliasedValue>("owner.createdon")?.Value);
        Assert.InRange(createdOn.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        Assert.Equal(createdOn.ToString("M/d/yyyy h:mm tt", System.Globalization.CultureInfo.InvariantCulture), record.FormattedValues["owner.createdon"]);
    }

    [Fact]
    public async Task A_linked_query_for_all_columns_returns_the_same_columns_as_one_without_a_link()
    {
        var id = await Admin.CreateAsync(Account("all columns"));
        var plain = AccountsNamed("all columns");
        plain.ColumnSet = new ColumnSet(true);
        var linked = AccountsNamed("all columns");
        linked.ColumnSet = new ColumnSet(true);
        linked.AddLink("systemuser", "ownerid", "systemuserid").EntityAlias = "owner";

        var expected = Assert.Single((await Admin.RetrieveMultipleAsync(plain)).Entities);
        var record = Assert.Single((await Admin.RetrieveMultipleAsync(linked)).Entities);

        Assert.Equal(id, record.Id);
        Assert.Null(record["timezoneruleversionnumber"]);
        Assert.Equal(expected.Attributes.Keys.Order(), record.Attributes.Keys.Order());
    }

    [Fact]
    public async Task An_outer_link_keeps_the_rows_without_a_match_and_their_linked_columns_are_null()
    {
        var linda = await AddUserAsync("outer", SecurityCatalog.BasicUserRoleId);
        await CreateOwnedAsync("outer a", linda);
        await Admin.CreateAsync(Account("outer b"));

        var query = AccountsNamed("outer");
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid", JoinOperator.LeftOuter);
        owner.EntityAlias = "u";
        owner.Columns = new ColumnSet("domainname");
        owner.LinkCriteria.AddCondition("lastname", ConditionOperator.Equal, Tag);
        var found = await Admin.RetrieveMultipleAsync(query);

        Assert.Equal([Tag + " outer a", Tag + " outer b"], found.Entities.Select(e => e.GetAttributeValue<string>("msdyn_name")));
        Assert.Equal($"outer.{Tag}@example.test".ToLowerInvariant(), found.Entities[0].GetAttributeValue<AliasedValue>("u.domainname")?.Value);
        Assert.Null(found.Entities[1].GetAttributeValue<AliasedValue>("u.domainname")?.Value);
    }

    [Fact]
    public async Task A_column_comparison_and_a_like_pattern_with_a_single_character_wildcard_select_the_same_records_either_way()
    {
        var user = await AddUserAsync("compare", SecurityCatalog.BasicUserRoleId);
        var assigned = await CreateOwnedAsync("cmp a", user);
        var kept = await Admin.CreateAsync(Account("cmp b"));
        await Admin.CreateAsync(Account("cmp bb"));

        var compare = AccountsNamed("cmp");
        compare.Criteria.AddCondition(new ConditionExpression("ownerid", ConditionOperator.NotEqual, "createdby") { CompareColumns = true });
        var like = AccountsNamed("cmp");
        like.Criteria.AddCondition("msdyn_name", ConditionOperator.Like, Tag + " cmp _");

        Assert.Equal([assigned], (await Admin.RetrieveMultipleAsync(compare)).Entities.Select(e => e.Id));
        Assert.Equal([assigned, kept], (await Admin.RetrieveMultipleAsync(like)).Entities.Select(e => e.Id));
    }

    [Fact]
    public async Task A_linked_query_walks_every_page_with_the_paging_cookie()
    {
        var user = await AddUserAsync("pager", SecurityCatalog.BasicUserRoleId);
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await CreateOwnedAsync("lpage " + name, user);
        }

        var query = AccountsNamed("lpage");
        query.Orders[0].OrderType = OrderType.Descending;
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid");
        owner.EntityAlias = "owner";
        owner.Columns = new ColumnSet("firstname");
        owner.LinkCriteria.AddCondition("systemuserid", ConditionOperator.Equal, user);
        query.PageInfo = new PagingInfo { Count = 2, PageNumber = 1, ReturnTotalRecordCount = true };

        var (pageSizes, names) = await WalkPagesAsync(query, (_, page) =>
        {
            Assert.Equal(5, page.TotalRecordCount);
            Assert.All(page.Entities, e => Assert.Equal("pager", e.GetAttributeValue<AliasedValue>("owner.firstname")?.Value));
        });

        Assert.Equal([2, 2, 1], pageSizes);
        Assert.Equal(new[] { "e", "d", "c", "b", "a" }.Select(n => Tag + " lpage " + n), names);
    }

    [Fact]
    public async Task A_numbered_page_without_a_paging_cookie_returns_that_page()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await Admin.CreateAsync(Account("numbered " + name));
        }

        var query = AccountsNamed("numbered");
        query.PageInfo = new PagingInfo { Count = 2, PageNumber = 2 };
        var page = await Admin.RetrieveMultipleAsync(query);

        Assert.Equal(new[] { "c", "d" }.Select(n => Tag + " numbered " + n), page.Entities.Select(e => e.GetAttributeValue<string>("msdyn_name")));
        Assert.True(page.MoreRecords);
    }

    [Fact]
    public async Task A_basic_users_linked_query_returns_only_the_records_it_may_read()
    {
        var user = await AddUserAsync("reader", SecurityCatalog.BasicUserRoleId);
        var asUser = world.ServiceFor(user);
        var own = await asUser.CreateAsync(Account("secured own"));
        await Admin.CreateAsync(Account("secured admin one"));
        await Admin.CreateAsync(Account("secured admin two"));

        Task<EntityCollection> LinkedAsync(IOrganizationServiceAsync service)
        {
            var query = AccountsNamed("secured");
            query.AddLink("systemuser", "ownerid", "systemuserid").Columns = new ColumnSet("firstname");
            return service.RetrieveMultipleAsync(query);
        }

        var mine = Assert.Single((await LinkedAsync(asUser)).Entities);
        Assert.Equal(own, mine.Id);
        Assert.Equal("reader", mine.GetAttributeValue<AliasedValue>("systemuser.firstname")?.Value);
        Assert.Equal(3, (await LinkedAsync(Admin)).Entities.Count);
    }

    [Fact]
    public async Task A_basic_users_link_to_accounts_joins_only_the_accounts_it_may_read()
    {
        var user = await AddUserAsync("joiner", SecurityCatalog.BasicUserRoleId);
        await world.ServiceFor(user).CreateAsync(Account("joined own"));
        await Admin.CreateAsync(Account("joined admin"));

        Task<EntityCollection> UsersWithAccountsAsync(IOrganizationServiceAsync service)
        {
            var query = new QueryExpression("systemuser") { ColumnSet = new ColumnSet("systemuserid") };
            var accounts = query.AddLink(Accounts, "systemuserid", "ownerid");
            accounts.EntityAlias = "account";
            accounts.Columns = new ColumnSet("msdyn_name");
            accounts.LinkCriteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, Tag + " joined");
            return service.RetrieveMultipleAsync(query);
        }

        var seen = Assert.Single((await UsersWithAccountsAsync(world.ServiceFor(user))).Entities);
        Assert.Equal(user, seen.Id);
        Assert.Equal(Tag + " joined own", seen.GetAttributeValue<AliasedValue>("account.msdyn_name")?.Value);
        Assert.Equal(
            new[] { Tag + " joined admin", Tag + " joined own" },
            (await UsersWithAccountsAsync(Admin)).Entities.Select(e => (string)e.GetAttributeValue<AliasedValue>("account.msdyn_name")!.Value!).Order());
    }

    [Fact]
    public async Task A_fetch_expression_with_a_link_entity_returns_the_linked_columns()
    {
        var user = await AddUserAsync("fetcher", SecurityCatalog.BasicUserRoleId);
        var owned = await CreateOwnedAsync("fetched", user);
        await Admin.CreateAsync(Account("fetched not"));

        var fetch = new FetchExpression($"""
            <fetch>
              <entity name="{Accounts}">
                <attribute name="msdyn_name" />
                <filter><condition attribute="msdyn_name" operator="like" value="{Tag} fetched%" /></filter>
                <link-entity name="systemuser" from="systemuserid" to="ownerid" alias="o">
                  <attribute name="firstname" />
                  <filter><condition attribute="systemuserid" operator="eq" value="{user}" /></filter>
                </link-entity>
              </entity>
            </fetch>
            """);
        var found = await Admin.RetrieveMultipleAsync(fetch);

        var record = Assert.Single(found.Entities);
        Assert.Equal(owned, record.Id);
        Assert.Equal(Tag + " fetched", record.GetAttributeValue<string>("msdyn_name"));
        Assert.Equal("fetcher", record.GetAttributeValue<AliasedValue>("o.firstname")?.Value);
    }

    [Fact]
    public async Task An_aggregate_fetch_expression_returns_one_row_per_group_with_its_aliases()
    {
        await Admin.CreateAsync(Account("grouped a"));
        await Admin.CreateAsync(Account("grouped b"));
        var other = await Admin.CreateAsync(Account("grouped c"));
        await Admin.ExecuteAsync(new SetStateRequest { EntityMoniker = new(Accounts, other), State = new(1), Status = new(2) });

        var found = await Admin.RetrieveMultipleAsync(new FetchExpression($"""
            <fetch aggregate="true">
              <entity name="{Accounts}">
                <attribute name="statecode" alias="state" groupby="true" />
                <attribute name="msdyn_name" alias="accounts" aggregate="count" />
                <filter><condition attribute="msdyn_name" operator="begins-with" value="{Tag} grouped" /></filter>
              </entity>
            </fetch>
            """));

        Assert.All(found.Entities, e => Assert.Equal(["accounts", "state"], e.Attributes.Keys.Order()));
        Assert.Equal([0, 1], found.Entities.Select(e => Assert.IsType<int>(e["state"])));
        Assert.Equal([2, 1], found.Entities.Select(e => Assert.IsType<int>(e["accounts"])));
    }

    [Fact]
    public async Task A_linked_query_inside_ExecuteMultiple_returns_its_aliased_values()
    {
        var user = await AddUserAsync("batched", SecurityCatalog.BasicUserRoleId);
        var owned = await CreateOwnedAsync("batched", user);
        var query = AccountsNamed("batched");
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid");
        owner.EntityAlias = "owner";
        owner.Columns = new ColumnSet("firstname");

        var response = (ExecuteMultipleResponse)await Admin.ExecuteAsync(new ExecuteMultipleRequest
        {
            Settings = new ExecuteMultipleSettings { ContinueOnError = true, ReturnResponses = true },
            Requests = [new RetrieveMultipleRequest { Query = query }, new WhoAmIRequest()],
        });

        var found = Assert.IsType<RetrieveMultipleResponse>(response.Responses[0].Response).EntityCollection;
        var record = Assert.Single(found.Entities);
        Assert.Equal(owned, record.Id);
        Assert.Equal("batched", record.GetAttributeValue<AliasedValue>("owner.firstname")?.Value);
    }

    [Fact]
    public async Task A_linked_query_too_long_for_a_url_still_returns_its_records()
    {
        var user = await AddUserAsync("longer", SecurityCatalog.BasicUserRoleId);
        var owned = await CreateOwnedAsync("long", user);
        var query = AccountsNamed("long");
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.In,
            [.. Enumerable.Range(0, 400).Select(i => (object)$"{Tag} long {i:D4} padding to make the fetchxml longer"), Tag + " long"]);
        var owner = query.AddLink("systemuser", "ownerid", "systemuserid");
        owner.EntityAlias = "owner";
        owner.Columns = new ColumnSet("firstname");

        var record = Assert.Single((await Admin.RetrieveMultipleAsync(query)).Entities);

        Assert.Equal(owned, record.Id);
        Assert.Equal("longer", record.GetAttributeValue<AliasedValue>("owner.firstname")?.Value);
    }

    [Fact]
    public async Task A_linked_owner_is_a_reference_to_the_owners_own_table_a_team_too()
    {
        var team = await AddTeamThatCanOwnAsync();
        var id = await Admin.CreateAsync(Account("team owned"));
        await Admin.ExecuteAsync(new AssignRequest { Target = new(Accounts, id), Assignee = new("team", team) });

        var query = new QueryExpression("team") { ColumnSet = new ColumnSet("name") };
        query.Criteria.AddCondition("teamid", ConditionOperator.Equal, team);
        var owned = query.AddLink(Accounts, "teamid", "owningteam");
        owned.EntityAlias = "owned";
        owned.Columns = new ColumnSet("ownerid", "createdby");
        var record = Assert.Single((await Admin.RetrieveMultipleAsync(query)).Entities);

        var owner = (EntityReference)record.GetAttributeValue<AliasedValue>("owned.ownerid")!.Value!;
        Assert.Equal(("team", team), (owner.LogicalName, owner.Id));
        Assert.Equal("systemuser", ((EntityReference)record.GetAttributeValue<AliasedValue>("owned.createdby")!.Value!).LogicalName);
    }

    [Fact]
    public async Task A_fetchxml_column_alias_returns_the_column_under_the_alias_as_an_aliased_value()
    {
        var id = await Admin.CreateAsync(Account("aliased"));

        var found = await Admin.RetrieveMultipleAsync(new FetchExpression($"""
            <fetch><entity name="{Accounts}"><attribute name="createdby" alias="whocreated" /><attribute name="msdyn_name" alias="companyname" />
            <filter><condition attribute="msdyn_name" operator="eq" value="{Tag} aliased" /></filter></entity></fetch>
            """));

        var record = Assert.Single(found.Entities);
        Assert.Equal(id, record.Id);
        var name = record.GetAttributeValue<AliasedValue>("companyname")!;
        Assert.Equal((Accounts, "msdyn_name", (object?)$"{Tag} aliased"), (name.EntityLogicalName, name.AttributeLogicalName, name.Value));
        var creator = (EntityReference)record.GetAttributeValue<AliasedValue>("whocreated")!.Value!;
        Assert.Equal("systemuser", creator.LogicalName);
        Assert.False(record.Contains("msdyn_name"));
        Assert.False(record.Contains("createdby"));
    }

    /// <summary>The accounts of this test whose name begins with the word, in name order.</summary>
    private QueryExpression AccountsNamed(string word)
    {
        var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet("msdyn_name", "ownerid") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, Tag + " " + word);
        query.AddOrder("msdyn_name", OrderType.Ascending);
        return query;
    }

    private async Task<Guid> CreateOwnedAsync(string name, Guid ownerId)
    {
        var id = await Admin.CreateAsync(Account(name));
        await Admin.ExecuteAsync(new AssignRequest { Target = new(Accounts, id), Assignee = new("systemuser", ownerId) });
        return id;
    }
}
