using System.Net;
using System.Text.Json;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.WebApi.Bulk.BulkCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Bulk;

/// <summary>A bulk target may name its record by "@odata.id", as UpsertMultiple's samples do (research §3).</summary>
public abstract class TargetsByODataIdTests(IBulkFixture server)
{
    private static string ByODataId(string odataId, string name) =>
        $"{{{TypeAnnotation},\"@odata.id\":{JsonSerializer.Serialize(odataId)},\"msdyn_name\":{JsonSerializer.Serialize(name)}}}";

    private static string ById(Guid id, string name) =>
        $"{{{TypeAnnotation},\"msdyn_ocwhatsappchannelaccountid\":\"{id}\",\"msdyn_name\":{JsonSerializer.Serialize(name)}}}";

    private string ServiceRoot => new Uri(server.Root, "api/data/v9.2/").ToString();

    private async Task<string> NameAsync(Guid id) =>
        (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name")).GetProperty("msdyn_name").GetString()!;

    [Theory]
    [InlineData("relative")]
    [InlineData("absolute")]
    [InlineData("named key")]
    public async Task UpsertMultiple_with_the_odata_id_of_an_existing_record_updates_it_and_creates_nothing(string form)
    {
        var tag = NewTag();
        var existing = await server.Admin.CreateAccountAsync(tag + " old");
        var odataId = form switch
        {
            "absolute" => ServiceRoot + $"{Accounts}({existing})",
            "named key" => $"{Accounts}(msdyn_ocwhatsappchannelaccountid={existing})", // as the Dataverse Python client writes it
            _ => $"{Accounts}({existing})",
        };

        using var response = await server.Admin.PostAsync("UpsertMultiple", Targets([ByODataId(odataId, tag + " updated")]));

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(tag + " updated", await NameAsync(existing));
        Assert.Equal(1, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task UpsertMultiple_with_the_odata_id_of_a_new_id_creates_the_record_with_exactly_that_id()
    {
        var tag = NewTag();
        var fresh = Guid.NewGuid();

        using var response = await server.Admin.PostAsync("UpsertMultiple", Targets([Target(tag + " created", $"\"@odata.id\":\"{Accounts}({fresh})\"")]));

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(tag + " created", await NameAsync(fresh));
        Assert.Equal(1, await server.Admin.CountAsync(tag));
    }

    /// <summary>Each "@odata.id" value (JSON) that names no record of this table, with what its message must say; {id} is a record that exists.</summary>
    public static TheoryData<string, string> MalformedODataIds => new()
    {
        { $"\"{Accounts}(abc)\"", "the key 'abc' is not a GUID" },
        { $"\"{Accounts}(msdyn_name='x')\"", "defines no alternate key" },
        { $"\"{Accounts}\"", "not of the form <entityset>(<id>)" },
        { "\"accounts({id})\"", "'accounts' is not an entity set" },
        { "\"systemusers({id})\"", "names a 'systemuser' record" },
        { $"\"http://elsewhere.example/api/data/v9.2/{Accounts}({{id}})\"", "not under this service root" },
        { "5", "must be a string" },
        { "null", "must be a string" },
    };

    [Theory]
    [MemberData(nameof(MalformedODataIds))]
    public async Task UpsertMultiple_with_an_odata_id_that_names_no_record_of_the_table_is_400_and_writes_nothing(string odataId, string says)
    {
        var tag = NewTag();
        var existing = await server.Admin.CreateAccountAsync(tag + " old");
        var malformed = Target(tag + " new", "\"@odata.id\":" + odataId.Replace("{id}", existing.ToString(), StringComparison.Ordinal));

        using var response = await server.Admin.PostAsync("UpsertMultiple", Targets([ById(existing, tag + " updated"), malformed]));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048d19", code);
        Assert.Contains("Targets[1]", message);
        Assert.Contains("'@odata.id'", message);
        Assert.Contains(says, message);
        Assert.Equal(tag + " old", await NameAsync(existing));
        Assert.Equal(1, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task UpdateMultiple_takes_the_id_from_odata_id_alone_or_with_the_same_id_in_the_body()
    {
        var tag = NewTag();
        var first = await server.Admin.CreateAccountAsync(tag + " a");
        var second = await server.Admin.CreateAccountAsync(tag + " b");
        var both = $"{{{TypeAnnotation},\"@odata.id\":\"{Accounts}({second})\",\"msdyn_ocwhatsappchannelaccountid\":\"{second}\",\"msdyn_name\":\"{tag} b2\"}}";

        using var response = await server.Admin.PostAsync("UpdateMultiple", Targets([ByODataId($"{Accounts}({first})", tag + " a2"), both]));

        Assert.True(response.StatusCode == HttpStatusCode.NoContent, await response.Content.ReadAsStringAsync());
        Assert.Equal(tag + " a2", await NameAsync(first));
        Assert.Equal(tag + " b2", await NameAsync(second));
        Assert.Equal(2, await server.Admin.CountAsync(tag));
    }

    [Fact]
    public async Task UpdateMultiple_with_a_body_id_other_than_its_odata_id_is_400_and_changes_nothing()
    {
        var tag = NewTag();
        var named = await server.Admin.CreateAccountAsync(tag + " named");
        var other = await server.Admin.CreateAccountAsync(tag + " other");
        var mismatch = $"{{{TypeAnnotation},\"@odata.id\":\"{Accounts}({named})\",\"msdyn_ocwhatsappchannelaccountid\":\"{other}\",\"msdyn_name\":\"{tag} changed\"}}";

        using var response = await server.Admin.PostAsync("UpdateMultiple", Targets([mismatch]));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x0", code);
        Assert.Contains("Targets[0]", message);
        Assert.Contains($"differs from the key in '@odata.id' ({named})", message);
        Assert.Equal(tag + " named", await NameAsync(named));
        Assert.Equal(tag + " other", await NameAsync(other));
    }

    [Fact]
    public async Task CreateMultiple_with_an_odata_id_creates_the_record_with_that_id()
    {
        var tag = NewTag();
        var given = Guid.NewGuid();

        using var response = await server.Admin.PostAsync("CreateMultiple", Targets([Target(tag + " given", $"\"@odata.id\":\"{Accounts}({given})\"")]));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(given, (await response.JsonAsync()).GetProperty("Ids")[0].GetGuid());
        Assert.Equal(tag + " given", await NameAsync(given));
    }

    [Fact]
    public async Task CreateMultiple_with_a_malformed_odata_id_is_400_and_creates_nothing()
    {
        var tag = NewTag();

        using var response = await server.Admin.PostAsync("CreateMultiple",
            Targets([Target(tag + " 0"), Target(tag + " 1", $"\"@odata.id\":\"{Accounts}(abc)\"")]));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80048d19", code);
        Assert.Contains("Targets[1]", message);
        Assert.Equal(0, await server.Admin.CountAsync(tag));
    }
}

public sealed class TargetsByODataIdTestsOnSqlite(SqliteBulkFixture server) : TargetsByODataIdTests(server), IClassFixture<SqliteBulkFixture>;

public sealed class TargetsByODataIdTestsOnPostgres(PostgresBulkFixture server) : TargetsByODataIdTests(server), IClassFixture<PostgresBulkFixture>;
