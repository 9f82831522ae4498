using System.Net;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.WebApi.Bulk.BulkCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Bulk;

public abstract class CreateMultipleTests(IBulkFixture server)
{
    [Fact]
    public async Task CreateMultiple_creates_every_target_and_returns_the_ids_in_order_with_system_columns_set()
    {
        var tag = NewTag();
        var given = Guid.NewGuid();
        var body = Targets([Target(tag + " 0"), Target(tag + " 1", $"\"msdyn_ocwhatsappchannelaccountid\":\"{given}\""), Target(tag + " 2")]);

        using var response = await server.Admin.PostAsync("CreateMultiple", body);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await response.JsonAsync();
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse", json.GetProperty("@odata.context").GetString());
        var ids = json.GetProperty("Ids").EnumerateArray().Select(i => i.GetGuid()).ToArray();
        Assert.Equal(3, ids.Length);
        Assert.Equal(given, ids[1]);
        var versions = new List<long>();
        for (var i = 0; i < ids.Length; i++)
        {
            var record = await server.Admin.GetJsonAsync($"{Accounts}({ids[i]})");
            Assert.Equal($"{tag} {i}", record.GetProperty("msdyn_name").GetString());
            Assert.Equal(0, record.GetProperty("statecode").GetInt32());
            Assert.Equal(1, record.GetProperty("statuscode").GetInt32());
            Assert.Equal(server.Organization.AdminUserId, record.GetProperty("_createdby_value").GetGuid());
            Assert.Equal(server.Organization.AdminUserId, record.GetProperty("_ownerid_value").GetGuid());
            Assert.Equal(server.Organization.RootBusinessUnitId, record.GetProperty("_owningbusinessunit_value").GetGuid());
            Assert.NotEqual(JsonValueKindNull, record.GetProperty("createdon").ValueKind);
            versions.Add(long.Parse(record.GetProperty("versionnumber").ToString(), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(3, versions.Distinct().Count());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    public static TheoryData<string, string, HttpStatusCode, string> FailingTargets => new()
    {
        { "a name longer than its 100 characters", Target(new string('x', 120)), HttpStatusCode.BadRequest, "Targets[1]" },
        { "a number for a text column", $"{{{TypeAnnotation},\"msdyn_name\":42}}", HttpStatusCode.BadRequest, "Targets[1]" },
        { "another @odata.type", "{\"@odata.type\":\"Microsoft.Dynamics.CRM.systemuser\",\"msdyn_name\":\"x\"}", HttpStatusCode.BadRequest, "Targets[1]" },
        { "no @odata.type", "{\"msdyn_name\":\"x\",\"msdyn_provideraccountid\":\"AC11111111111111111111111111111111\"}", HttpStatusCode.BadRequest, "Targets[1]" },
    };

    [Theory]
    [MemberData(nameof(FailingTargets))]
    public async Task A_failing_target_leaves_nothing_behind(string why, string failing, HttpStatusCode status, string named)
    {
        _ = why;
        var tag = NewTag();
        var body = Targets([Target(tag + " 0"), failing.Replace("\"x\"", $"\"{tag} x\"", StringComparison.Ordinal), Target(tag + " 2")]);

        using var response = await server.Admin.PostAsync("CreateMultiple", body);

        var (_, message) = await response.ErrorAsync(status);
        Assert.Contains(named, message);
        Assert.Equal(0, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task A_parameter_the_action_does_not_declare_is_400_and_creates_nothing()
    {
        var tag = NewTag();
        var body = $"{{\"Targets\":[{Target(tag + " 0")}],\"Target\":{Target(tag + " 1")}}}";

        using var response = await server.Admin.PostAsync("CreateMultiple", body);

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The parameter 'Target' in the request payload is not a valid parameter for the operation 'CreateMultiple'.", message);
        Assert.Equal(0, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task A_repeated_id_is_400_naming_the_second_target_and_creates_nothing()
    {
        var tag = NewTag();
        var id = Guid.NewGuid();
        var withId = $"\"msdyn_ocwhatsappchannelaccountid\":\"{id}\"";

        using var response = await server.Admin.PostAsync("CreateMultiple", Targets([Target(tag + " 0", withId), Target(tag + " 1"), Target(tag + " 2", withId)]));

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Targets[2]", message);
        Assert.Contains(id.ToString(), message);
        Assert.Equal(0, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task An_id_that_exists_already_is_412_and_creates_nothing()
    {
        var tag = NewTag();
        var existing = await server.Admin.CreateAccountAsync("existing " + tag);

        using var response = await server.Admin.PostAsync("CreateMultiple",
            Targets([Target(tag + " 0"), Target(tag + " 1", $"\"msdyn_ocwhatsappchannelaccountid\":\"{existing}\"")]));

        Assert.Equal("0x80040237", (await response.ErrorAsync(HttpStatusCode.PreconditionFailed)).Code);
        Assert.Equal(0, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task A_basic_user_creating_for_an_owner_of_another_business_unit_is_403_and_creates_nothing()
    {
        var tag = NewTag();
        using var basic = server.ClientFor(server.World.UserAt[PrivilegeDepth.Basic]);
        var foreignOwner = $"\"ownerid@odata.bind\":\"/systemusers({server.World.SupportColleague})\"";

        using var response = await basic.PostAsync("CreateMultiple", Targets([Target(tag + " mine"), Target(tag + " theirs", foreignOwner)]));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80048306", code);
        Assert.Contains("Targets[1]", message);
        Assert.Equal(0, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task A_thousand_targets_are_created_in_one_call()
    {
        var tag = NewTag();

        using var response = await server.Admin.PostAsync("CreateMultiple", Targets(Enumerable.Range(0, 1000).Select(i => Target($"{tag} {i:D4}"))));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(1000, (await response.JsonAsync()).GetProperty("Ids").GetArrayLength());
        Assert.Equal(1000, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task More_than_a_thousand_targets_are_created_as_Dataverse_sets_no_count()
    {
        var tag = NewTag();

        using var response = await server.Admin.PostAsync("CreateMultiple", Targets(Enumerable.Range(0, 2500).Select(i => Target($"{tag} {i}"))));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(2500, (await response.JsonAsync()).GetProperty("Ids").GetArrayLength());
        Assert.Equal(2500, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task CreateMultiple_by_GET_is_404()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}/Microsoft.Dynamics.CRM.CreateMultiple");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class CreateMultipleTestsOnSqlite(SqliteBulkFixture server) : CreateMultipleTests(server), IClassFixture<SqliteBulkFixture>;

public sealed class CreateMultipleTestsOnPostgres(PostgresBulkFixture server) : CreateMultipleTests(server), IClassFixture<PostgresBulkFixture>;
