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
