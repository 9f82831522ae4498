using ChannelAccounts.Client.Tests.Infrastructure;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Scenarios;

/// <summary>
/// Scenarios written only against IOrganizationServiceAsync, run in process (EngineOrganizationService) and over
/// HTTP (ChannelAccountsServiceClient), on SQLite and on PostgreSQL, with the same assertions.
/// </summary>
public abstract partial class OrganizationServiceScenarios(IServiceWorld world)
{
    protected const string Accounts = "msdyn_ocwhatsappchannelaccount";

    private readonly string _tag = "T" + Guid.NewGuid().ToString("N")[..10];

    protected IOrganizationServiceAsync Admin => world.Admin;

    [Fact]
    public async Task A_created_account_is_retrieved_with_the_columns_asked_for_as_sdk_types()
    {
        var id = await Admin.CreateAsync(Account("Contoso"));

        var record = await Admin.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name", "msdyn_provideraccountid", "statecode", "statuscode", "ownerid", "createdon"));

        Assert.Equal(id, record.Id);
        Assert.Equal(Accounts, record.LogicalName);
        Assert.Equal(_tag + " Contoso", record.GetAttributeValue<string>("msdyn_name"));
        Assert.Equal("AC" + new string('0', 32), record.GetAttributeValue<string>("msdyn_provideraccountid"));
        Assert.Equal(new OptionSetValue(0), record.GetAttributeValue<OptionSetValue>("statecode"));
        Assert.Equal(new OptionSetValue(1), record.GetAttributeValue<OptionSetValue>("statuscode"));
        Assert.Equal(new EntityReference("systemuser", world.Organization.AdminUserId), record.GetAttributeValue<EntityReference>("ownerid"));
        var createdOn = record.GetAttributeValue<DateTime>("createdon");
        Assert.InRange(createdOn.ToUniversalTime(), DateTime.UtcNow.AddMinutes(-5), DateTime.UtcNow.AddMinutes(5));
        Assert.False(record.Contains("msdyn_twilioinboundurl"));
    }

    [Fact]
    public async Task RetrieveVersion_and_RetrieveCurrentOrganization_describe_the_service_a_client_connected_to()
    {
        var version = (RetrieveVersionResponse)await Admin.ExecuteAsync(new RetrieveVersionRequest());
        var organization = (RetrieveCurrentOrganizationResponse)await Admin.ExecuteAsync(
            new RetrieveCurrentOrganizationRequest { AccessType = Sdk.Organization.EndpointAccessType.Default });

        Assert.StartsWith("9.2.", version.Version, StringComparison.Ordinal);
        Assert.Equal(world.Organization.OrganizationId, organization.Detail.OrganizationId);
        Assert.Equal(version.Version, organization.Detail.OrganizationVersion);
        Assert.Equal(Sdk.Organization.OrganizationState.Enabled, organization.Detail.State);
        Assert.Matches("^[a-z0-9]+$", organization.Detail.UniqueName);
    }

    [Fact]
    public async Task An_update_changes_only_the_columns_it_carries()
    {
        var id = await Admin.CreateAsync(Account("Before"));

        await Admin.UpdateAsync(new Entity(Accounts, id) { ["msdyn_name"] = _tag + " After" });

        var record = await Admin.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name", "msdyn_provideraccountid"));
        Assert.Equal(_tag + " After", record.GetAttributeValue<string>("msdyn_name"));
        Assert.Equal("AC" + new string('0', 32), record.GetAttributeValue<string>("msdyn_provideraccountid"));
    }

    [Fact]
    public async Task An_update_guarded_by_a_stale_row_version_faults_with_the_concurrency_code()
    {
        var id = await Admin.CreateAsync(Account("Versioned"));
        var read = await Admin.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name"));
        Assert.NotNull(read.RowVersion);
        await Admin.UpdateAsync(new Entity(Accounts, id) { ["msdyn_name"] = _tag + " Changed meanwhile" });

        var stale = new Entity(Accounts, id) { ["msdyn_name"] = _tag + " Lost update", RowVersion = read.RowVersion };
        var fault = await Assert.ThrowsAsync<Sdk.Faults.OrganizationServiceFaultException>(() =>
            Admin.ExecuteAsync(new UpdateRequest { Target = stale, ConcurrencyBehavior = ConcurrencyBehavior.IfRowVersionMatches }));

        Assert.Equal(ErrorCodes.ConcurrencyVersionMismatch, fault.ErrorCode);
    }

    [Fact]
    public async Task An_upsert_creates_the_record_first_and_updates_it_the_second_time()
    {
        var id = Guid.NewGuid();

        var first = (UpsertResponse)await Admin.ExecuteAsync(new UpsertRequest { Target = Account("Upserted", id) });
        var second = (UpsertResponse)await Admin.ExecuteAsync(new UpsertRequest { Target = new Entity(Accounts, id) { ["msdyn_name"] = _tag + " Upserted twice" } });

        Assert.True(first.RecordCreated);
        Assert.False(second.RecordCreated);
        Assert.Equal(new EntityReference(Accounts, id), second.Target);
        Assert.Equal(_tag + " Upserted twice", (await Admin.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name"));
    }

    [Fact]
    public async Task A_deleted_record_is_gone_and_retrieving_it_faults_with_object_does_not_exist()
    {
        var id = await Admin.CreateAsync(Account("Doomed"));

        await Admin.DeleteAsync(Accounts, id);

        var fault = await Assert.ThrowsAsync<Sdk.Faults.OrganizationServiceFaultException>(() => Admin.RetrieveAsync(Accounts, id, new ColumnSet(true)));
        Assert.Equal(-2147220969, fault.ErrorCode);
        Assert.Contains(id.ToString(), fault.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Updating_or_deleting_a_missing_record_faults_with_object_does_not_exist()
    {
        var missing = Guid.NewGuid();

        var update = await Assert.ThrowsAsync<Sdk.Faults.OrganizationServiceFaultException>(() => Admin.UpdateAsync(new Entity(Accounts, missing) { ["msdyn_name"] = "x" }));
        var delete = await Assert.ThrowsAsync<Sdk.Faults.OrganizationServiceFaultException>(() => Admin.DeleteAsync(Accounts, missing));

        Assert.Equal(ErrorCodes.ObjectDoesNotExist, update.ErrorCode);
        Assert.Equal(ErrorCodes.ObjectDoesNotExist, delete.ErrorCode);
    }

    [Fact]
    public async Task A_query_filters_orders_and_walks_every_page_with_the_paging_cookie()
    {
        foreach (var name in new[] { "a", "b", "c", "d", "e" })
        {
            await Admin.CreateAsync(Account("page " + name));
        }

        var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet("msdyn_name") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, _tag + " page");
        query.AddOrder("msdyn_name", OrderType.Descending);
        query.PageInfo = new PagingInfo { Count = 2, PageNumber = 1, ReturnTotalRecordCount = true };

        var (pageSizes, names) = await WalkPagesAsync(query, (number, page) =>
        {
            if (number == 1)
            {
                Assert.Equal(5, page.TotalRecordCount);
            }
        });

        Assert.Equal([2, 2, 1], pageSizes);
        Assert.Equal(new[] { "e", "d", "c", "b", "a" }.Select(n => _tag + " page " + n), names);
    }

    [Fact]
    public async Task Conditions_in_and_or_filters_select_the_same_records_either_way()
    {
        var alpha = await Admin.CreateAsync(Account("cond alpha"));
        var beta = await Admin.CreateAsync(Account("cond beta"));
        var gamma = await Admin.CreateAsync(Account("cond gamma"));
        await Admin.UpdateAsync(new Entity(Accounts, gamma) { ["timezoneruleversionnumber"] = 4 });

        async Task<Guid[]> IdsAsync(Action<FilterExpression> criteria)
        {
            var query = new QueryExpression(Accounts) { ColumnSet = new ColumnSet("msdyn_name") };
            query.Criteria.AddCondition("msdyn_name", ConditionOperator.Like, _tag + " cond%");
            criteria(query.Criteria.AddFilter(LogicalOperator.And));
            query.AddOrder("msdyn_name", OrderType.Ascending);
            return [.. (await Admin.RetrieveMultipleAsync(query)).Entities.Select(e => e.Id)];
        }

        Assert.Equal([alpha, gamma], await IdsAsync(f => f.AddCondition("msdyn_name", ConditionOperator.In, _tag + " cond alpha", _tag + " cond gamma")));
        Assert.Equal([gamma], await IdsAsync(f => f.AddCondition("timezoneruleversionnumber", ConditionOperator.NotNull)));
        Assert.Equal([alpha, beta], await IdsAsync(f => f.AddCondition("timezoneruleversionnumber", ConditionOperator.Null)));
        Assert.Equal([beta], await IdsAsync(f => f.AddCondition("msdyn_name", ConditionOperator.EndsWith, "beta")));
        Assert.Equal([alpha, beta], await IdsAsync(f =>
        {
            var or = f.AddFilter(LogicalOperator.Or);
            or.AddCondition("msdyn_name", ConditionOperator.Contains, "alph");
            or.AddCondition("msdyn_name", ConditionOperator.Equal, _tag + " cond beta");
        }));
        Assert.Equal([alpha, beta, gamma], await IdsAsync(f => f.AddCondition("ownerid", ConditionOperator.EqualUserId)));
        Assert.Equal([beta, gamma], await IdsAsync(f => f.AddCondition("msdyn_name", ConditionOperator.NotEqual, _tag + " cond alpha")));
        Assert.Equal([alpha, beta, gamma], await IdsAsync(f => f.AddCondition("createdon", ConditionOperator.ThisYear)));
        Assert.Equal([alpha, beta, gamma], await IdsAsync(f => f.AddCondition("createdon", ConditionOperator.LastXHours, 1)));
        Assert.Empty(await IdsAsync(f => f.AddCondition("createdon", ConditionOperator.OlderThanXHours, 1)));
        Assert.Equal([alpha, beta, gamma], await IdsAsync(f => f.AddCondition("ownerid", ConditionOperator.EqualUserOrUserTeams)));
        Assert.Equal([gamma], await IdsAsync(f =>
        {
            // A column comparison has no OData form, so over HTTP this query goes as FetchXML with the date operator.
            f.AddCondition(new ConditionExpression("msdyn_name", ConditionOperator.NotEqual, "msdyn_provideraccountid") { CompareColumns = true });
            f.AddCondition("createdon", ConditionOperator.LastXWeeks, 1);
            f.AddCondition("timezoneruleversionnumber", ConditionOperator.NotNull);
        }));
    }

    [Fact]
    public async Task A_query_by_attribute_finds_the_records_with_those_column_values()
    {
        var wanted = await Admin.CreateAsync(Account("by attribute"));
        await Admin.CreateAsync(Account("by attribute other"));

        var query = new QueryByAttribute(Accounts) { ColumnSet = new ColumnSet("msdyn_name", "statecode") };
        query.AddAttributeValue("msdyn_name", _tag + " by attribute");
        query.AddAttributeValue("statecode", 0);
        var found = await Admin.RetrieveMultipleAsync(query);

        var record = Assert.Single(found.Entities);
        Assert.Equal(wanted, record.Id);
        Assert.Equal(new OptionSetValue(0), record.GetAttributeValue<OptionSetValue>("statecode"));
    }

    protected Entity Account(string name, Guid? id = null)
    {
        var entity = new Entity(Accounts, id ?? Guid.Empty)
        {
            ["msdyn_name"] = _tag + " " + name,
            ["msdyn_provideraccountid"] = "AC" + new string('0', 32),
        };
        return entity;
    }

    protected string Tag => _tag;

    /// <summary>
    /// Follows the paging cookie from the query's page to the last, checking each page (numbered from 1) with
    /// eachPage: the size of every page and every msdyn_name, in order.
    /// </summary>
    protected async Task<(List<int> PageSizes, List<string> Names)> WalkPagesAsync(QueryExpression query, Action<int, EntityCollection> eachPage)
    {
        var names = new List<string>();
        var pageSizes = new List<int>();
        while (true)
        {
            var page = await Admin.RetrieveMultipleAsync(query);
            eachPage(pageSizes.Count + 1, page);
            pageSizes.Add(page.Entities.Count);
            names.AddRange(page.Entities.Select(e => e.GetAttributeValue<string>("msdyn_name")!));
            if (!page.MoreRecords)
            {
                return (pageSizes, names);
            }

            Assert.NotNull(page.PagingCookie);
            query.PageInfo.PageNumber++;
            query.PageInfo.PagingCookie = page.PagingCookie;
        }
    }
}
