using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Query;

/// <summary>Lookup names (createdbyname, owneridname...) and link entities, both read by joins in the one statement.</summary>
public abstract class LinkAndNameTests(IStoreFixture fixture) : StoreTestBase(fixture), IAsyncLifetime
{
    private readonly Guid _user = Guid.NewGuid();
    private readonly Guid _team = Guid.NewGuid();
    private readonly Guid _businessUnit = Guid.NewGuid();
    private readonly string _marker = NewMarker();
    private readonly Guid _ownedByUser = Guid.NewGuid();
    private readonly Guid _ownedByTeam = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        await InsertAsync(MetadataCatalog.BusinessUnit, new StoredRow { ["businessunitid"] = _businessUnit, ["name"] = "Sales" });
        await InsertAsync(MetadataCatalog.SystemUser,
            new StoredRow { ["systemuserid"] = _user, ["fullname"] = "Grace Hopper", ["yomifullname"] = "Yomi Grace", ["businessunitid"] = _businessUnit });
        await InsertAsync(MetadataCatalog.Team, new StoredRow { ["teamid"] = _team, ["name"] = "Support Team", ["yominame"] = "Yomi Team" });

        var byUser = AccountRow(_marker, "owned by user", _ownedByUser);
        byUser["createdby"] = _user;
        byUser["ownerid"] = _user;
        byUser["owneridtype"] = 8;
        byUser["owningbusinessunit"] = _businessUnit;
        var byTeam = AccountRow(_marker, "owned by team", _ownedByTeam);
        byTeam["ownerid"] = _team;
        byTeam["owneridtype"] = 9;
        await InsertAsync(byUser, byTeam);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<StoredRow> RowAsync(QueryExpression query, Guid id) =>
        (await QueryAsync(query)).Rows.Single(r => (Guid)r[AccountId]! == id);

    [Fact]
    public async Task A_name_column_comes_from_the_related_row()
    {
        var query = AccountQuery(_marker, "createdbyname", "createdbyyominame", "owningbusinessunitname", "modifiedbyname");

        var row = await RowAsync(query, _ownedByUser);

        Assert.Equal("Grace Hopper", row["createdbyname"]);
        Assert.Equal("Yomi Grace", row["createdbyyominame"]);
        Assert.Equal("Sales", row["owningbusinessunitname"]);
        Assert.Null(row["modifiedbyname"]);
    }

    [Fact]
    public async Task The_owner_name_comes_from_a_user_or_a_team_by_the_owner_type()
    {
        var query = AccountQuery(_marker, "owneridname", "owneridyominame", "owneridtype");

        Assert.Equal("Grace Hopper", (await RowAsync(query, _ownedByUser))["owneridname"]);
        var team = await RowAsync(query, _ownedByTeam);
        Assert.Equal("Support Team", team["owneridname"]);
        Assert.Equal("Yomi Team", team["owneridyominame"]);
        Assert.Equal(9, team["owneridtype"]);
    }

    [Fact]
    public async Task All_columns_include_the_names_and_every_stored_column()
    {
        var query = AccountQuery(_marker);
        query.ColumnSet = new ColumnSet(true);

        var row = await RowAsync(query, _ownedByUser);

        Assert.Equal(AccountTable.Attributes.Count, row.Count);
        Assert.Equal("Grace Hopper", row["createdbyname"]);
        Assert.Equal(_user, row["createdby"]);
    }

    [Fact]
    public async Task Filtering_and_ordering_by_a_name_column_work()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        query.Criteria.AddCondition("owneridname", ConditionOperator.BeginsWith, "support");
        Assert.Equal(_ownedByTeam, (Guid)(await QueryAsync(query)).Rows.Single()[AccountId]!);

        var ordered = AccountQuery(_marker, "owneridname");
        ordered.AddOrder("owneridname", OrderType.Descending);
        ordered.PageInfo.Count = 1;
        var rows = await AllPagesAsync(ordered);
        Assert.Equal(["Support Team", "Grace Hopper"], rows.Select(r => (string?)r["owneridname"]));
    }

    [Theory]
    [InlineData(ConditionOperator.Equal, "SUPPORT TEAM")]
    [InlineData(ConditionOperator.BeginsWith, "SUPPORT")]
    [InlineData(ConditionOperator.Contains, "PORT T")]
    public async Task A_name_of_a_lookup_with_several_targets_compares_without_regard_to_case(ConditionOperator op, string value)
    {
        // owneridname is the user's or the team's name; on SQLite a coalesce of the two had no collation of its own.
        var query = AccountQuery(_marker, "msdyn_name");
        query.Criteria.AddCondition("owneridname", op, value);
        Assert.Equal(_ownedByTeam, (Guid)(await QueryAsync(query)).Rows.Single()[AccountId]!);
    }

    [Fact]
    public async Task The_owner_type_may_be_given_as_a_table_name_or_a_type_code()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        query.Criteria.AddCondition("owneridtype", ConditionOperator.Equal, "team");
        Assert.Equal(_ownedByTeam, (Guid)(await QueryAsync(query)).Rows.Single()[AccountId]!);

        query = AccountQuery(_marker, "msdyn_name");
        query.Criteria.AddCondition("owneridtype", ConditionOperator.Equal, 8);
        Assert.Equal(_ownedByUser, (Guid)(await QueryAsync(query)).Rows.Single()[AccountId]!);
    }

    [Fact]
    public async Task Link_criteria_use_the_caller_of_the_query()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        var link = query.AddLink(MetadataCatalog.SystemUser, "createdby", "systemuserid");
        link.LinkCriteria.AddCondition("systemuserid", ConditionOperator.EqualUserId);

        Assert.Single((await QueryAsync(query, Context with { UserId = _user })).Rows);
        Assert.Empty((await QueryAsync(query)).Rows);
    }

    [Fact]
    public async Task A_link_entity_returns_its_columns_under_its_alias()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        var link = query.AddLink(MetadataCatalog.SystemUser, "createdby", "systemuserid", JoinOperator.LeftOuter);
        link.EntityAlias = "creator";
        link.Columns = new ColumnSet("fullname", "businessunitid");

        var page = await QueryAsync(query);

        Assert.Equal(2, page.Rows.Count);
        var row = page.Rows.Single(r => (Guid)r[AccountId]! == _ownedByUser);
        Assert.Equal("Grace Hopper", row["creator.fullname"]);
        Assert.Equal(_businessUnit, row["creator.businessunitid"]);
        Assert.Null(page.Rows.Single(r => (Guid)r[AccountId]! == _ownedByTeam)["creator.fullname"]);
    }

    [Fact]
    public async Task An_inner_link_keeps_only_rows_with_a_related_row_and_conditions_may_name_its_alias()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        var link = query.AddLink(MetadataCatalog.Team, "ownerid", "teamid");
        link.Columns = new ColumnSet("name");
        Assert.Equal(_ownedByTeam, (Guid)(await QueryAsync(query)).Rows.Single()[AccountId]!);

        var outer = AccountQuery(_marker, "msdyn_name");
        outer.AddLink(MetadataCatalog.SystemUser, "createdby", "systemuserid", JoinOperator.LeftOuter).EntityAlias = "u";
        outer.Criteria.AddCondition(new ConditionExpression("u", "fullname", ConditionOperator.Like, "grace%"));
        Assert.Equal(_ownedByUser, (Guid)(await QueryAsync(outer)).Rows.Single()[AccountId]!);
    }

    [Fact]
    public async Task Link_criteria_restrict_the_join_not_the_main_rows()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        var link = query.AddLink(MetadataCatalog.SystemUser, "createdby", "systemuserid", JoinOperator.LeftOuter);
        link.Columns = new ColumnSet("fullname");
        link.LinkCriteria.AddCondition("fullname", ConditionOperator.Equal, "nobody");

        var page = await QueryAsync(query);

        Assert.Equal(2, page.Rows.Count);
        Assert.All(page.Rows, r => Assert.Null(r["systemuser.fullname"]));
    }

    /// <summary>The accounts with their creator (alias creator, fullname) and the creator's business unit nested in it (creatorunit, name).</summary>
    private (QueryExpression Query, LinkEntity Unit) CreatorUnitQuery()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        var creator = query.AddLink(MetadataCatalog.SystemUser, "createdby", "systemuserid", JoinOperator.LeftOuter);
        creator.EntityAlias = "creator";
        creator.Columns = new ColumnSet("fullname");
        var unit = creator.AddLink(MetadataCatalog.BusinessUnit, "businessunitid", "businessunitid", JoinOperator.LeftOuter);
        unit.EntityAlias = "creatorunit";
        unit.Columns = new ColumnSet("name");
        return (query, unit);
    }

    [Fact]
    public async Task A_nested_link_joins_from_the_link_it_is_in_and_returns_its_columns_under_its_own_alias()
    {
        var page = await QueryAsync(CreatorUnitQuery().Query);

        Assert.Equal(2, page.Rows.Count);
        var row = page.Rows.Single(r => (Guid)r[AccountId]! == _ownedByUser);
        Assert.Equal("Grace Hopper", row["creator.fullname"]);
        Assert.Equal("Sales", row["creatorunit.name"]);
        Assert.Null(page.Rows.Single(r => (Guid)r[AccountId]! == _ownedByTeam)["creatorunit.name"]);
    }

    [Fact]
    public async Task Conditions_may_name_a_nested_link_and_its_link_criteria_restrict_only_its_join()
    {
        var (named, _) = CreatorUnitQuery();
        named.Criteria.AddCondition(new ConditionExpression("creatorunit", "name", ConditionOperator.Equal, "Sales"));
        Assert.Equal(_ownedByUser, (Guid)(await QueryAsync(named)).Rows.Single()[AccountId]!);

        var (restricted, unit) = CreatorUnitQuery();
        unit.LinkCriteria.AddCondition("name", ConditionOperator.Equal, "Marketing");
        var page = await QueryAsync(restricted);
        Assert.Equal(2, page.Rows.Count);
        Assert.All(page.Rows, r => Assert.Null(r["creatorunit.name"]));
    }

    [Theory]
    [InlineData("msdyn_name", "systemuserid")]
    [InlineData("statecode", "systemuserid")]
    [InlineData("createdby", "fullname")]
    public async Task A_link_joining_columns_of_different_types_is_refused_naming_both(string from, string to)
    {
        var query = AccountQuery(_marker, "msdyn_name");
        query.AddLink(MetadataCatalog.SystemUser, from, to, JoinOperator.LeftOuter);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.Contains($"'{from}'", fault.Message);
        Assert.Contains($".{to}'", fault.Message);
    }

    [Fact]
    public async Task A_nested_link_joining_columns_of_different_types_is_refused()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        query.AddLink(MetadataCatalog.SystemUser, "createdby", "systemuserid", JoinOperator.LeftOuter)
            .AddLink(MetadataCatalog.BusinessUnit, "fullname", "businessunitid", JoinOperator.LeftOuter);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.Contains("different types", fault.Message);
    }

    [Fact]
    public async Task Rows_order_by_a_linked_column_placed_by_entityname_or_after_the_querys_own_orders_and_page_by_number()
    {
        // Owned by user: creator Grace Hopper; owned by team: no creator (null sorts first ascending).
        var (query, _) = CreatorUnitQuery();
        query.Orders.Add(new OrderExpression("fullname", OrderType.Descending) { EntityName = "creator" });
        query.PageInfo = new PagingInfo { Count = 1, PageNumber = 1 };

        var first = await QueryAsync(query);
        Assert.Equal(_ownedByUser, (Guid)first.Rows.Single()[AccountId]!);
        Assert.True(first.MoreRecords);
        Assert.Null(first.PagingCookie); // the keyset cannot say where a linked order resumes

        query.PageInfo.PageNumber = 2;
        Assert.Equal(_ownedByTeam, (Guid)(await QueryAsync(query)).Rows.Single()[AccountId]!);

        var (byLink, linkedUnit) = CreatorUnitQuery();
        linkedUnit.Orders.Add(new OrderExpression("name", OrderType.Ascending));
        Assert.Equal([_ownedByTeam, _ownedByUser], (await QueryAsync(byLink)).Rows.Select(r => (Guid)r[AccountId]!));
    }

    [Fact]
    public async Task Nested_links_count_toward_the_limit_of_fifteen_linked_tables()
    {
        var query = AccountQuery(_marker, "msdyn_name");
        var parent = query.AddLink(MetadataCatalog.SystemUser, "createdby", "systemuserid", JoinOperator.LeftOuter);
        parent.EntityAlias = "u0";
        for (var i = 1; i < 16; i++)
        {
            parent.AddLink(MetadataCatalog.BusinessUnit, "businessunitid", "businessunitid", JoinOperator.LeftOuter).EntityAlias = "b" + i;
        }

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));
        Assert.Equal(ErrorCodes.TooManyLinkEntities, fault.ErrorCode);
        Assert.Contains("16", fault.Message);
    }
}

public sealed class LinkAndNameSqliteTests(SqliteStoreFixture fixture)
    : LinkAndNameTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class LinkAndNamePostgresTests(PostgresStoreFixture fixture)
    : LinkAndNameTests(fixture), IClassFixture<PostgresStoreFixture>;
