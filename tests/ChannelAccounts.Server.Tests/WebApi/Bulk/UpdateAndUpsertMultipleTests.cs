using System.Net;
using System.Text.Json;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.WebApi.Bulk.BulkCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Bulk;

public abstract class UpdateAndUpsertMultipleTests(IBulkFixture server)
{
    private static string Update(Guid id, string name, string? extraJson = null) =>
        $"{{{TypeAnnotation},\"msdyn_ocwhatsappchannelaccountid\":\"{id}\",\"msdyn_name\":{JsonSerializer.Serialize(name)}{(extraJson is null ? "" : "," + extraJson)}}}";

    private async Task<string> NameAsync(Guid id) =>
        (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name")).GetProperty("msdyn_name").GetString()!;

    [Fact]
    public async Task UpdateMultiple_updates_every_target_and_answers_204()
    {
        var tag = NewTag();
        var first = await server.Admin.CreateAccountAsync(tag + " a");
        var second = await server.Admin.CreateAccountAsync(tag + " b");

        using var response = await server.Admin.PostAsync("UpdateMultiple",
            Targets([Update(first, tag + " a2"), Update(second, tag + " b2", "\"statecode\":1,\"statuscode\":2")]));

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(tag + " a2", await NameAsync(first));
        var record = await server.Admin.GetJsonAsync($"{Accounts}({second})?$select=msdyn_name,statecode,statuscode");
        Assert.Equal(tag + " b2", record.GetProperty("msdyn_name").GetString());
        Assert.Equal(1, record.GetProperty("statecode").GetInt32());
        Assert.Equal(2, record.GetProperty("statuscode").GetInt32());
    }

    [Fact]
    public async Task UpdateMultiple_gives_every_target_a_new_version_of_its_own()
    {
        var tag = NewTag();
        var ids = new[] { await server.Admin.CreateAccountAsync(tag + " a"), await server.Admin.CreateAccountAsync(tag + " b") };
        async Task<long> VersionAsync(Guid id) =>
            (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=versionnumber")).GetProperty("versionnumber").GetInt64();
        var before = new[] { await VersionAsync(ids[0]), await VersionAsync(ids[1]) };

        using var response = await server.Admin.PostAsync("UpdateMultiple", Targets([Update(ids[0], tag + " a2"), Update(ids[1], tag + " b2")]));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var after = new[] { await VersionAsync(ids[0]), await VersionAsync(ids[1]) };
        Assert.True(after[0] > before.Max() && after[1] > before.Max(), $"versions {string.Join(",", before)} → {string.Join(",", after)}");
        Assert.NotEqual(after[0], after[1]);
    }

    [Fact]
    public async Task UpdateMultiple_naming_one_record_twice_is_400_and_changes_nothing()
    {
        var tag = NewTag();
        var id = await server.Admin.CreateAccountAsync(tag + " once");

        using var response = await server.Admin.PostAsync("UpdateMultiple", Targets([Update(id, tag + " first"), Update(id, tag + " second")]));

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Targets[1]", message);
        Assert.Equal(tag + " once", await NameAsync(id));
    }

    [Fact]
    public async Task UpdateMultiple_with_one_missing_id_is_404_naming_it_and_changes_nothing()
    {
        var tag = NewTag();
        var existing = await server.Admin.CreateAccountAsync(tag + " kept");
        var missing = Guid.NewGuid();

        using var response = await server.Admin.PostAsync("UpdateMultiple", Targets([Update(existing, tag + " changed"), Update(missing, tag + " ghost")]));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.NotFound);
        Assert.Equal("0x80040217", code);
        Assert.StartsWith($"msdyn_ocwhatsappchannelaccount With Ids = {missing} Do Not Exist", message); // Dataverse's bulk wording
        Assert.Contains("Targets[1]", message);
        Assert.Equal(tag + " kept", await NameAsync(existing));
    }

    [Fact]
    public async Task UpdateMultiple_with_a_mismatched_state_pair_is_400_and_changes_nothing()
    {
        var tag = NewTag();
        var first = await server.Admin.CreateAccountAsync(tag + " one");
        var second = await server.Admin.CreateAccountAsync(tag + " two");

        using var response = await server.Admin.PostAsync("UpdateMultiple",
            Targets([Update(first, tag + " one changed"), Update(second, tag + " two", "\"statecode\":1,\"statuscode\":1")]));

        Assert.Equal("0x80048408", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Code);
        Assert.Equal(tag + " one", await NameAsync(first));
    }

    [Fact]
    public async Task UpsertMultiple_updates_the_records_that_exist_and_creates_the_others()
    {
        var tag = NewTag();
        var existing = await server.Admin.CreateAccountAsync(tag + " old");
        var fresh = Guid.NewGuid();

        using var response = await server.Admin.PostAsync("UpsertMultiple",
            Targets([Update(existing, tag + " updated"), Update(fresh, tag + " created", "\"msdyn_provideraccountid\":\"AC99999999999999999999999999999999\""), Target(tag + " no id")]));

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(tag + " updated", await NameAsync(existing));
        Assert.Equal(tag + " created", await NameAsync(fresh));
        Assert.Equal(3, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task UpsertMultiple_with_a_failing_create_changes_nothing()
    {
        var tag = NewTag();
        var existing = await server.Admin.CreateAccountAsync(tag + " old");

        using var response = await server.Admin.PostAsync("UpsertMultiple",
            Targets([Update(existing, tag + " updated"), Target(tag + " too long " + new string('x', 100))]));

        Assert.Equal("0x80044331", (await response.ErrorAsync(HttpStatusCode.BadRequest)).Code);
        Assert.Equal(tag + " old", await NameAsync(existing));
        Assert.Equal(1, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task UpdateMultiple_of_more_than_a_thousand_targets_updates_them_all()
    {
        var tag = NewTag();
        using var created = await server.Admin.PostAsync("CreateMultiple", Targets(Enumerable.Range(0, 1200).Select(i => Target($"{tag} {i}"))));
        var ids = (await created.JsonAsync()).GetProperty("Ids").EnumerateArray().Select(id => id.GetGuid()).ToList();

        using var response = await server.Admin.PostAsync("UpdateMultiple", Targets(ids.Select(id => Update(id, tag + " renamed"))));

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(1200, await server.Admin.CountAsync(tag + " renamed"));
    }

    [Fact]
    public async Task UpsertMultiple_through_the_engine_reports_per_target_whether_it_created_in_target_order()
    {
        var tag = NewTag();
        var existing = await server.Admin.CreateAccountAsync(tag + " there");
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var targets = new EntityCollection([
            new Entity("msdyn_ocwhatsappchannelaccount") { ["msdyn_name"] = tag + " new", ["msdyn_provideraccountid"] = "AC11111111111111111111111111111111" },
            new Entity("msdyn_ocwhatsappchannelaccount", existing) { ["msdyn_name"] = tag + " there again" },
        ]);

        var response = (UpsertMultipleResponse)await engine.ExecuteAsync(new UpsertMultipleRequest { Targets = targets },
            CallerIdentity.User(server.Organization.AdminUserId));

        Assert.Equal([true, false], response.Results.Select(r => r.RecordCreated));
        Assert.Equal(existing, response.Results[1].Target.Id);
        Assert.Equal(tag + " new", await NameAsync(response.Results[0].Target.Id));
    }

    [Fact]
    public async Task The_target_limit_is_an_engine_option()
    {
        var tag = NewTag();
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        engine = new OrganizationEngine(server.Store, engine.Secrets, options: new EngineOptions { MaxBulkTargets = 2 });
        var targets = new EntityCollection(Enumerable.Range(0, 3)
            .Select(i => new Entity("msdyn_ocwhatsappchannelaccount") { ["msdyn_name"] = $"{tag} {i}", ["msdyn_provideraccountid"] = "AC11111111111111111111111111111111" }).ToList());

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() =>
            engine.ExecuteAsync(new CreateMultipleRequest { Targets = targets }, CallerIdentity.User(server.Organization.AdminUserId)));

        Assert.Contains("limit is 2", fault.Message);
        Assert.Equal(0, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task A_target_of_another_table_is_400_naming_its_index()
    {
        var engine = await OrganizationEngine.CreateAsync(server.Store);
        var targets = new EntityCollection([
            new Entity("msdyn_ocwhatsappchannelaccount") { ["msdyn_name"] = "ok", ["msdyn_provideraccountid"] = "AC11111111111111111111111111111111" },
            new Entity("systemuser") { ["firstname"] = "No" },
        ]);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() =>
            engine.ExecuteAsync(new UpdateMultipleRequest { Targets = targets }, CallerIdentity.User(server.Organization.AdminUserId)));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.StartsWith("Targets[1] is a 'systemuser' record", fault.Message);
    }
}

public sealed class UpdateAndUpsertMultipleTestsOnSqlite(SqliteBulkFixture server) : UpdateAndUpsertMultipleTests(server), IClassFixture<SqliteBulkFixture>;

public sealed class UpdateAndUpsertMultipleTestsOnPostgres(PostgresBulkFixture server) : UpdateAndUpsertMultipleTests(server), IClassFixture<PostgresBulkFixture>;
