using System.Net;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.FetchXml;

/// <summary>
/// FetchXML that tests related rows without returning them: the filter link types (link-entity inside a filter:
/// any, not any, all, not all, with the SQL Dataverse documents for each), the link types exists and in, and
/// distinct="true", which returns a row once however many related rows a column-less link joins.
/// </summary>
public abstract class FetchXmlRelatedRowTests(IServerFixture server)
{
    private readonly string _tag = "R" + Guid.NewGuid().ToString("N")[..8];

    private Task SeedAsync() => RecordOwners.SeedAsync(server, _tag);

    private async Task<List<string>> UsersAsync(string inFilter, HttpClient? client = null)
    {
        var fetch = "<fetch><entity name='systemuser'><attribute name='firstname' /><order attribute='firstname' />" +
                    $"<filter><condition attribute='lastname' operator='eq' value='{_tag}' />{inFilter}</filter></entity></fetch>";
        var body = await (client ?? server.Admin).GetJsonAsync($"systemusers?fetchXml={Uri.EscapeDataString(fetch)}");
        return body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("firstname").GetString()!).ToList();
    }

    private static string Owned(string linkType, string criteria = "<filter><condition attribute='statecode' operator='eq' value='1' /></filter>") =>
        $"<link-entity name='msdyn_ocwhatsappchannelaccount' from='owninguser' to='systemuserid' link-type='{linkType}'>{criteria}</link-entity>";

    [Fact]
    public async Task Any_returns_the_rows_with_a_related_row_that_meets_the_links_filter()
    {
        await SeedAsync();

        Assert.Equal(["Mia"], await UsersAsync(Owned("any")));
        Assert.Equal(["Aaron", "Mia", "Zed"], await UsersAsync(Owned("any", "")));
    }

    [Fact]
    public async Task Not_any_returns_the_rows_without_one()
    {
        await SeedAsync();

        Assert.Equal(["Aaron", "Ned", "Zed"], await UsersAsync(Owned("not any")));
        Assert.Equal(["Ned"], await UsersAsync(Owned("not any", "")));
    }

    [Fact]
    public async Task All_and_not_all_mean_what_Dataverse_documents_not_what_their_names_say()
    {
        await SeedAsync();

        // all: related rows exist and none meets the filter; not all: the same as any.
        Assert.Equal(["Aaron", "Zed"], await UsersAsync(Owned("all")));
        Assert.Equal(["Mia"], await UsersAsync(Owned("not all")));
    }

    [Fact]
    public async Task A_filter_link_is_one_condition_of_an_or_filter()
    {
        await SeedAsync();

        Assert.Equal(["Mia", "Ned"], await UsersAsync($"<filter type='or'>{Owned("any")}<condition attribute='firstname' operator='eq' value='Ned' /></filter>"));
        Assert.Equal(["Aaron", "Mia", "Ned"], await UsersAsync($"<filter type='or'>{Owned("any")}{Owned("not any", "")}<condition attribute='firstname' operator='eq' value='Aaron' /></filter>"));
    }

    [Fact]
    public async Task Exists_and_in_links_return_each_row_once_and_no_linked_columns()
    {
        await SeedAsync();
        foreach (var linkType in new[] { "exists", "in" })
        {
            var fetch = "<fetch><entity name='systemuser'><attribute name='firstname' /><order attribute='firstname' />" +
                        $"<filter><condition attribute='lastname' operator='eq' value='{_tag}' /></filter>{Owned(linkType, "")}</entity></fetch>";

            var rows = (await server.Admin.GetJsonAsync($"systemusers?fetchXml={Uri.EscapeDataString(fetch)}")).GetProperty("value").EnumerateArray().ToList();

            Assert.Equal(["Aaron", "Mia", "Zed"], rows.Select(r => r.GetProperty("firstname").GetString()).ToList());
        }
    }

    [Fact]
    public async Task A_test_of_related_rows_sees_only_the_rows_the_caller_reads()
    {
        await SeedAsync();
        using var client = await RecordOwners.BasicReaderAsync(server, _tag + "x");

        // A Basic user reads none of these records: no user has one it can see, whatever the records are.
        Assert.Empty(await UsersAsync(Owned("any", ""), client));
        Assert.Equal(["Aaron", "Mia", "Ned", "Zed"], await UsersAsync(Owned("not any", ""), client));
    }

    [Fact]
    public async Task A_secured_column_cannot_be_tested_through_a_related_row()
    {
        await SeedAsync();
        var fetch = "<fetch><entity name='systemuser'><attribute name='firstname' /><filter>" +
                    Owned("any", "<filter><condition attribute='msdyn_authenticationtoken' operator='not-null' /></filter>") + "</filter></entity></fetch>";
        using var client = await RecordOwners.BasicReaderAsync(server, _tag + "y");

        using var response = await client.SendAsync(HttpMethod.Get, $"systemusers?fetchXml={Uri.EscapeDataString(fetch)}");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80040203", code);
        Assert.Contains("msdyn_authenticationtoken", message);
    }

    [Theory]
    [InlineData("<filter><link-entity name='msdyn_ocwhatsappchannelaccount' from='owninguser' to='systemuserid' link-type='inner' /></filter>", "inside a filter")]
    [InlineData("<filter><link-entity name='msdyn_ocwhatsappchannelaccount' from='owninguser' to='systemuserid' link-type='any'><attribute name='msdyn_name' /></link-entity></filter>", "returns none of their columns")]
    [InlineData("<link-entity name='msdyn_ocwhatsappchannelaccount' from='owninguser' to='systemuserid' link-type='exists'><order attribute='msdyn_name' /></link-entity>", "returns none of their columns")]
    [InlineData("<link-entity name='msdyn_ocwhatsappchannelaccount' from='owninguser' to='systemuserid' link-type='natural' />", "not supported")]
    public async Task A_test_of_related_rows_written_wrong_is_400_saying_what_to_change(string element, string says)
    {
        var fetch = $"<fetch><entity name='systemuser'><attribute name='firstname' />{element}</entity></fetch>";

        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"systemusers?fetchXml={Uri.EscapeDataString(fetch)}");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80040203", code);
        Assert.Contains(says, message);
    }

    [Fact]
    public async Task Distinct_returns_a_row_once_however_many_related_rows_a_columnless_link_joins()
    {
        await SeedAsync();
        string Fetch(string distinct) =>
            $"<fetch distinct='{distinct}'><entity name='systemuser'><attribute name='firstname' /><order attribute='firstname' />" +
            $"<filter><condition attribute='lastname' operator='eq' value='{_tag}' /></filter>" +
            "<link-entity name='msdyn_ocwhatsappchannelaccount' from='owninguser' to='systemuserid' link-type='inner' /></entity></fetch>";

        async Task<List<string?>> Names(string distinct, string prefer = "odata.maxpagesize=5000") =>
            (await server.Admin.GetJsonAsync($"systemusers?fetchXml={Uri.EscapeDataString(Fetch(distinct))}", ("Prefer", prefer)))
            .GetProperty("value").EnumerateArray().Select(r => r.GetProperty("firstname").GetString()).ToList();

        Assert.Equal(["Aaron", "Mia", "Zed"], await Names("true"));
        Assert.Equal(["Aaron", "Mia", "Mia", "Zed"], await Names("false"));
    }

    [Fact]
    public async Task Distinct_keeps_a_link_whose_columns_are_returned()
    {
        await SeedAsync();
        var fetch = $"<fetch distinct='true'><entity name='systemuser'><attribute name='firstname' /><order attribute='firstname' />" +
                    $"<filter><condition attribute='lastname' operator='eq' value='{_tag}' /></filter>" +
                    "<link-entity name='msdyn_ocwhatsappchannelaccount' from='owninguser' to='systemuserid' alias='a'><attribute name='msdyn_name' /></link-entity></entity></fetch>";

        var rows = (await server.Admin.GetJsonAsync($"systemusers?fetchXml={Uri.EscapeDataString(fetch)}")).GetProperty("value").EnumerateArray().ToList();

        Assert.Equal(4, rows.Count);
        Assert.Equal(2, rows.Count(r => r.GetProperty("firstname").GetString() == "Mia"));
    }
}

public sealed class FetchXmlRelatedRowTestsOnSqlite(SqliteServerFixture server) : FetchXmlRelatedRowTests(server), IClassFixture<SqliteServerFixture>;

public sealed class FetchXmlRelatedRowTestsOnPostgres(PostgresServerFixture server) : FetchXmlRelatedRowTests(server), IClassFixture<PostgresServerFixture>;
