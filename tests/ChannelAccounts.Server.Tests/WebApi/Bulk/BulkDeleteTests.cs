using System.Net;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.WebApi.Bulk.BulkCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Bulk;

public abstract class BulkDeleteTests(IBulkFixture server)
{
    /// <summary>The body Microsoft's Python Dataverse client sends for records.delete of a list of ids.</summary>
    private static string PythonClientBody(IEnumerable<Guid> ids) =>
        $$"""
        {"JobName":"Bulk delete msdyn_ocwhatsappchannelaccount records @ 2026-11-24T22:00:00Z","SendEmailNotification":false,
         "ToRecipients":[],"CCRecipients":[],"RecurrencePattern":"","StartDateTime":"2026-11-24T22:00:00Z",
         "QuerySet":[{{Query(IdsIn(ids))}}]}
        """;

    private static string Query(string criteria) =>
        $$"""
        {"@odata.type":"Microsoft.Dynamics.CRM.QueryExpression","EntityName":"msdyn_ocwhatsappchannelaccount",
         "ColumnSet":{"@odata.type":"Microsoft.Dynamics.CRM.ColumnSet","AllColumns":false,"Columns":[]},
         "Criteria":{{criteria}}}
        """;

    private static string IdsIn(IEnumerable<Guid> ids) =>
        $$"""
        {"@odata.type":"Microsoft.Dynamics.CRM.FilterExpression","FilterOperator":"And","Conditions":[
          {"@odata.type":"Microsoft.Dynamics.CRM.ConditionExpression","AttributeName":"msdyn_ocwhatsappchannelaccountid","Operator":"In",
           "Values":[{{string.Join(",", ids.Select(id => $$"""{"Value":"{{id}}","Type":"System.Guid"}"""))}}]}]}
        """;

    private static string NameBeginsWith(string prefix) =>
        $$"""{"FilterOperator":"And","Conditions":[{"AttributeName":"msdyn_name","Operator":"BeginsWith","Values":["{{prefix}}"]}]}""";

    private static string Body(params string[] queries) =>
        $$"""{"JobName":"test","SendEmailNotification":false,"ToRecipients":[],"CCRecipients":[],"RecurrencePattern":"","StartDateTime":"2026-11-24T22:00:00Z","QuerySet":[{{string.Join(",", queries)}}]}""";

    private async Task<List<Guid>> CreateAsync(string tag, int count, HttpClient? client = null)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await (client ?? server.Admin).CreateAccountAsync($"{tag} {i}"));
        }
        return ids;
    }

    [Fact]
    public async Task BulkDelete_as_the_Python_client_sends_it_deletes_the_listed_records_and_returns_a_job_id()
    {
        var tag = NewTag();
        var ids = await CreateAsync(tag, 4);

        using var response = await server.Admin.SendAsync(HttpMethod.Post, "BulkDelete", PythonClientBody(ids.Take(3)));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await response.JsonAsync();
        Assert.EndsWith("$metadata#Microsoft.Dynamics.CRM.BulkDeleteResponse", json.GetProperty("@odata.context").GetString());
        Assert.NotEqual(Guid.Empty, json.GetProperty("JobId").GetGuid());
        Assert.Equal(1, await server.Admin.CountAsync(tag));
        using var kept = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({ids[3]})");
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
    }

    [Fact]
    public async Task BulkDelete_runs_every_query_of_the_set_and_pages_through_more_than_one_page_of_matches()
    {
        var tag = NewTag();
        var other = NewTag();
        await server.Admin.PostAsync("CreateMultiple", Targets(Enumerable.Range(0, 120).Select(i => Target($"{tag} {i}"))));
        var byId = await CreateAsync(other, 3);

        using var response = await server.Admin.SendAsync(HttpMethod.Post, "BulkDelete", Body(Query(NameBeginsWith(tag)), Query(IdsIn([byId[0]]))));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await server.Admin.CountAsync(tag));
        Assert.Equal(2, await server.Admin.CountAsync(other));
    }

    [Fact]
    public async Task BulkDelete_leaves_the_records_the_caller_may_read_but_not_delete()
    {
        // A user of the Basic-depth role, given prvBulkDelete; one record of theirs, one of a colleague shared for reading only.
        var world = server.World;
        var user = await Principals.AddUserAsync(server.Store, "Bulk", "Deleter" + NewTag(), world.Sales);
        var role = await Principals.AddRoleAsync(server.Store, "Bulk deleter " + NewTag(), world.Root, PrivilegeDepth.Basic,
            AccessRights.ReadAccess, AccessRights.DeleteAccess, AccessRights.CreateAccess, AccessRights.WriteAccess);
        await Principals.AddRolePrivilegeAsync(server.Store, role, SecurityCatalog.Privilege(SecurityCatalog.BulkDelete).Id, PrivilegeDepth.Global);
        await Principals.AssignRoleAsync(server.Store, user, role);
        var tag = NewTag();
        var own = await server.Admin.CreateAccountAsync($"{tag} own", $"\"ownerid@odata.bind\":\"/systemusers({user})\"");
        var colleagues = await server.Admin.CreateAccountAsync($"{tag} colleague's", $"\"ownerid@odata.bind\":\"/systemusers({world.SalesColleague})\"");
        using (var share = await server.Admin.SendAsync(HttpMethod.Post, "GrantAccess",
            $$$"""{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{{colleagues}}}"},"PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{{user}}}"},"AccessMask":"ReadAccess"}}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, share.StatusCode);
        }

        using var response = await server.ClientFor(user).SendAsync(HttpMethod.Post, "BulkDelete", Body(Query(NameBeginsWith(tag))));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var ownAfter = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({own})");
        Assert.Equal(HttpStatusCode.NotFound, ownAfter.StatusCode);
        using var colleaguesAfter = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({colleagues})");
        Assert.Equal(HttpStatusCode.OK, colleaguesAfter.StatusCode);
    }

    [Fact]
    public async Task BulkDelete_without_prvBulkDelete_is_403_and_deletes_nothing()
    {
        var user = server.World.UserAt[PrivilegeDepth.Global]; // every privilege of the table, at Global depth, but not prvBulkDelete
        var tag = NewTag();
        await CreateAsync(tag, 2);

        using var response = await server.ClientFor(user).SendAsync(HttpMethod.Post, "BulkDelete", Body(Query(NameBeginsWith(tag))));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("prvBulkDelete", message);
        Assert.Equal(2, await server.Admin.CountAsync(tag));
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "no QuerySet", """{"JobName":"x"}""", "'QuerySet' is required" },
        { "an empty QuerySet", Body(), "QuerySet" },
        { "a recurring job", Body(Query(NameBeginsWith("TAG"))).Replace("\"RecurrencePattern\":\"\"", "\"RecurrencePattern\":\"FREQ=DAILY;INTERVAL=1;\"", StringComparison.Ordinal), "FREQ=DAILY" },
        { "an unknown table", Body(Query(NameBeginsWith("TAG")).Replace("\"msdyn_ocwhatsappchannelaccount\"", "\"nosuchtable\"", StringComparison.Ordinal)), "nosuchtable" },
        { "an unknown column", Body(Query(NameBeginsWith("TAG")).Replace("\"msdyn_name\"", "\"msdyn_nosuchcolumn\"", StringComparison.Ordinal)), "msdyn_nosuchcolumn" },
        { "an unknown operator", Body(Query(NameBeginsWith("TAG")).Replace("BeginsWith", "StartsWithish", StringComparison.Ordinal)), "Criteria.Conditions[0].Operator' must be" },
        { "a bad GUID value", Body(Query(IdsIn([Guid.Empty]).Replace(Guid.Empty.ToString(), "not-a-guid", StringComparison.Ordinal))), "not-a-guid" },
        { "linked tables", Body(Query(NameBeginsWith("TAG")).Replace("\"Criteria\"", "\"LinkEntities\":[{\"LinkToEntityName\":\"systemuser\"}],\"Criteria\"", StringComparison.Ordinal)), "LinkEntities" },
        { "an undeclared parameter", Body(Query(NameBeginsWith("TAG"))).Replace("\"JobName\"", "\"JobTitle\"", StringComparison.Ordinal), "'JobTitle'" },
        { "a job for later", Body(Query(NameBeginsWith("TAG"))).Replace("2026-11-24T22:00:00Z", "2099-01-01T00:00:00Z", StringComparison.Ordinal), "2099-01-01T00:00:00Z" },
        { "a StartDateTime that is no date", Body(Query(NameBeginsWith("TAG"))).Replace("\"2026-11-24T22:00:00Z\"", "5", StringComparison.Ordinal), "'StartDateTime'" },
        { "no JobName", Body(Query(NameBeginsWith("TAG"))).Replace("\"JobName\":\"test\",", "", StringComparison.Ordinal), "'JobName'" },
        { "a null JobName", Body(Query(NameBeginsWith("TAG"))).Replace("\"JobName\":\"test\"", "\"JobName\":null", StringComparison.Ordinal), "'JobName'" },
        { "a SendEmailNotification that is no Boolean", Body(Query(NameBeginsWith("TAG"))).Replace("\"SendEmailNotification\":false", "\"SendEmailNotification\":\"no\"", StringComparison.Ordinal), "'SendEmailNotification'" },
        { "Equal null (it deleted every record without a name)", Body(Query(NameBeginsWith("TAG")).Replace("\"BeginsWith\",\"Values\":[\"TAG\"]", "\"Equal\",\"Values\":[null]", StringComparison.Ordinal)), "Use 'Null' or 'NotNull'" },
        { "NotEqual null", Body(Query(NameBeginsWith("TAG")).Replace("\"BeginsWith\",\"Values\":[\"TAG\"]", "\"NotEqual\",\"Values\":[null]", StringComparison.Ordinal)), "Use 'Null' or 'NotNull'" },
        { "a SourceImportId that is no GUID", Body(Query(NameBeginsWith("TAG"))).Replace("\"JobName\"", "\"SourceImportId\":\"x\",\"JobName\"", StringComparison.Ordinal), "'SourceImportId'" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_BulkDelete_is_4xx_naming_what_to_fix_and_deletes_nothing(string why, string body, string named)
    {
        _ = why;
        var tag = NewTag();
        await CreateAsync(tag, 2);

        // A second, valid query first: a bad query later in the set must not let the first one delete anything.
        var withValidFirst = body.Replace("\"QuerySet\":[{", $"\"QuerySet\":[{Query(NameBeginsWith(tag))},{{", StringComparison.Ordinal);
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "BulkDelete", withValidFirst.Replace("TAG", tag, StringComparison.Ordinal));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var error = (await response.JsonAsync()).GetProperty("error");
        Assert.Contains(named, error.GetProperty("message").GetString());
        Assert.Equal(2, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task BulkDelete_by_GET_is_404()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "BulkDelete");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_metadata_declares_the_BulkDelete_action_and_its_response()
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, "$metadata");
        var csdl = await response.Content.ReadAsStringAsync();

        Assert.Contains("<Action Name=\"BulkDelete\"", csdl);
        Assert.Contains("<ActionImport Name=\"BulkDelete\" Action=\"Microsoft.Dynamics.CRM.BulkDelete\"", csdl);
        Assert.Contains("<ComplexType Name=\"BulkDeleteResponse\"", csdl);
    }
}

public sealed class BulkDeleteTestsOnSqlite(SqliteBulkFixture server) : BulkDeleteTests(server), IClassFixture<SqliteBulkFixture>;

public sealed class BulkDeleteTestsOnPostgres(PostgresBulkFixture server) : BulkDeleteTests(server), IClassFixture<PostgresBulkFixture>;
