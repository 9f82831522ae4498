using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Scenarios;

/// <summary>CreateMultiple, UpdateMultiple and UpsertMultiple: every target or none.</summary>
public abstract partial class OrganizationServiceScenarios
{
    [Fact]
    public async Task CreateMultiple_creates_every_target_and_returns_their_ids_in_order()
    {
        var given = Guid.NewGuid();

        var response = (CreateMultipleResponse)await Admin.ExecuteAsync(new CreateMultipleRequest
        {
            Targets = Targets(Account("bulk a"), Account("bulk b", given), Account("bulk c")),
        });

        Assert.Equal(3, response.Ids.Length);
        Assert.Equal(given, response.Ids[1]);
        var names = new List<string>();
        foreach (var id in response.Ids)
        {
            names.Add((await Admin.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name")!);
        }

        Assert.Equal(new[] { "a", "b", "c" }.Select(n => $"{Tag} bulk {n}"), names);
    }

    [Fact]
    public async Task CreateMultiple_with_one_invalid_target_creates_none_of_them()
    {
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => Admin.ExecuteAsync(new CreateMultipleRequest
        {
            Targets = Targets(Account("all or none a"), Account("all or none " + new string('n', 120)), Account("all or none c")),
        }));

        Assert.Equal(ErrorCodes.StringLengthTooLong, fault.ErrorCode);
        Assert.Equal(0, await CountTaggedAsync("all or none"));
    }

    [Fact]
    public async Task UpdateMultiple_updates_every_target_and_changes_none_when_one_is_missing()
    {
        var first = await Admin.CreateAsync(Account("update many a"));
        var second = await Admin.CreateAsync(Account("update many b"));

        await Admin.ExecuteAsync(new UpdateMultipleRequest
        {
            Targets = Targets(new Entity(Accounts, first) { ["msdyn_name"] = Tag + " update many A" }, new Entity(Accounts, second) { ["msdyn_name"] = Tag + " update many B" }),
        });
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => Admin.ExecuteAsync(new UpdateMultipleRequest
        {
            Targets = Targets(new Entity(Accounts, first) { ["msdyn_name"] = Tag + " never" }, new Entity(Accounts, Guid.NewGuid()) { ["msdyn_name"] = Tag + " never" }),
        }));

        Assert.Equal(ErrorCodes.ObjectDoesNotExist, fault.ErrorCode);
        Assert.Equal(Tag + " update many A", (await Admin.RetrieveAsync(Accounts, first, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name"));
        Assert.Equal(Tag + " update many B", (await Admin.RetrieveAsync(Accounts, second, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name"));
        Assert.Equal(0, await CountTaggedAsync("never"));
    }

    [Fact]
    public async Task UpsertMultiple_updates_the_targets_that_exist_and_creates_the_others()
    {
        var existing = await Admin.CreateAsync(Account("upsert many old"));
        var created = Guid.NewGuid();

        await Admin.ExecuteAsync(new UpsertMultipleRequest
        {
            Targets = Targets(new Entity(Accounts, existing) { ["msdyn_name"] = Tag + " upsert many updated" }, Account("upsert many new", created)),
        });

        Assert.Equal(Tag + " upsert many updated", (await Admin.RetrieveAsync(Accounts, existing, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name"));
        Assert.Equal(Tag + " upsert many new", (await Admin.RetrieveAsync(Accounts, created, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name"));
    }

    private static EntityCollection Targets(params Entity[] targets) => new(targets) { EntityName = Accounts };
}

/// <summary>BulkDelete: the job has run when the response comes.</summary>
public abstract partial class OrganizationServiceScenarios
{
    [Fact]
    public async Task BulkDelete_deletes_every_record_its_queries_match_and_returns_the_job_id()
    {
        var byId = await Admin.CreateAsync(Account("bulk delete by id"));
        await Admin.CreateAsync(Account("bulk delete by name 1"));
        await Admin.CreateAsync(Account("bulk delete by name 2"));
        var kept = await Admin.CreateAsync(Account("bulk delete kept"));
        var ids = new QueryExpression(Accounts);
        ids.Criteria.AddCondition("msdyn_ocwhatsappchannelaccountid", ConditionOperator.In, byId, Guid.NewGuid());
        var names = new QueryExpression(Accounts);
        names.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, Tag + " bulk delete by name");
        names.Criteria.AddCondition("statecode", ConditionOperator.Equal, new OptionSetValue(0));

        var response = (BulkDeleteResponse)await Admin.ExecuteAsync(new BulkDeleteRequest
        {
            JobName = "scenario",
            QuerySet = [ids, names],
            RecurrencePattern = "",
            StartDateTime = DateTime.UtcNow,
        });

        Assert.NotEqual(Guid.Empty, response.JobId);
        Assert.Equal(0, await CountTaggedAsync("bulk delete by"));
        Assert.Equal(kept, (await Admin.RetrieveAsync(Accounts, kept, new ColumnSet("msdyn_name"))).Id);
    }

    [Fact]
    public async Task BulkDelete_with_a_recurrence_is_refused_and_deletes_nothing()
    {
        await Admin.CreateAsync(Account("bulk delete recurring"));
        var query = new QueryExpression(Accounts);
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, Tag + " bulk delete recurring");

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => Admin.ExecuteAsync(new BulkDeleteRequest
        {
            JobName = "recurring",
            QuerySet = [query],
            RecurrencePattern = "FREQ=DAILY;INTERVAL=1;",
            StartDateTime = DateTime.UtcNow,
        }));

        Assert.Contains("RecurrencePattern", fault.Message);
        Assert.Equal(1, await CountTaggedAsync("bulk delete recurring"));
    }
}
