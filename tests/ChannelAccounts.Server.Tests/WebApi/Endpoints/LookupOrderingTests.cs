using System.Net;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.WebApi.Endpoints;

/// <summary>
/// Ordering by a lookup sorts by the primary name of the record it points to (the name its formatted value shows), as
/// Dataverse documents for $orderby, FetchXML and QueryExpression, not by the id it stores.
/// </summary>
public abstract class LookupOrderingTests(IServerFixture server)
{
    private readonly string _tag = "L" + Guid.NewGuid().ToString("N")[..8];

    private string Tagged => $"startswith(msdyn_name,'{_tag}')";

    /// <summary>Records owned by Zed, Aaron, Mia (two) and a team named Bravo, created in an order their ids do not sort by name.</summary>
    private async Task SeedAsync()
    {
        var unit = server.Organization.RootBusinessUnitId;
        var zed = await Principals.AddAdministratorAsync(server.Store, "Zed", _tag, unit);
        var aaron = await Principals.AddAdministratorAsync(server.Store, "Aaron", _tag, unit);
        var mia = await Principals.AddAdministratorAsync(server.Store, "Mia", _tag, unit);
        var team = await Principals.AddTeamAsync(server.Store, "Bravo " + _tag, unit);
        await Principals.AssignTeamRoleAsync(server.Store, team, SecurityCatalog.BasicUserRoleId);
        foreach (var (name, owner) in new[] { ("1", $"systemusers({zed})"), ("2", $"systemusers({aaron})"), ("3", $"systemusers({mia})"),
                     ("4", $"teams({team})"), ("5", $"systemusers({mia})") })
        {
            await server.Admin.CreateAccountAsync($"{_tag} {name}", $$""" "ownerid@odata.bind":"/{{owner}}" """);
        }
    }

    private async Task<List<string>> OwnersAsync(string url)
    {
        var body = await server.Admin.GetJsonAsync(url, ("Prefer", "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""));
        return body.GetProperty("value").EnumerateArray()
            .Select(r => r.GetProperty("_ownerid_value@OData.Community.Display.V1.FormattedValue").GetString()!.Split(' ')[0]).ToList();
    }

    [Fact]
    public async Task Orderby_a_lookup_sorts_by_the_related_records_name()
    {
        await SeedAsync();

        Assert.Equal(["Aaron", "Bravo", "Mia", "Mia", "Zed"],
            await OwnersAsync($"{Accounts}?$select=msdyn_name,_ownerid_value&$filter={Tagged}&$orderby=_ownerid_value,msdyn_name"));
        Assert.Equal(["Zed", "Mia", "Mia", "Aaron", "Bravo"],
            await OwnersAsync($"{Accounts}?$select=msdyn_name,_ownerid_value&$filter={Tagged}&$orderby=_owninguser_value desc,msdyn_name"));
    }

    [Fact]
    public async Task A_FetchXML_order_on_a_lookup_sorts_by_the_related_records_name()
    {
        await SeedAsync();
        var fetch = $"<fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name'/><attribute name='ownerid'/>" +
                    $"<filter><condition attribute='msdyn_name' operator='like' value='{_tag}%'/></filter>" +
                    "<order attribute='ownerid' descending='true'/><order attribute='msdyn_name'/></entity></fetch>";

        Assert.Equal(["Zed", "Mia", "Mia", "Bravo", "Aaron"], await OwnersAsync($"{Accounts}?fetchXml={Uri.EscapeDataString(fetch)}"));
    }

    [Fact]
    public async Task Pages_of_a_lookup_order_follow_each_other_with_every_row_once()
    {
        await SeedAsync();
        var owners = new List<string>();
        string? url = $"{Accounts}?$select=msdyn_name,_ownerid_value&$filter={Tagged}&$orderby=_ownerid_value";
        while (url is not null)
        {
            var page = await server.Admin.GetJsonAsync(url, ("Prefer", "odata.maxpagesize=2,odata.include-annotations=\"*\""));
            owners.AddRange(page.GetProperty("value").EnumerateArray()
                .Select(r => r.GetProperty("_ownerid_value@OData.Community.Display.V1.FormattedValue").GetString()!.Split(' ')[0]));
            url = page.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        }

        Assert.Equal(["Aaron", "Bravo", "Mia", "Mia", "Zed"], owners);
    }

    [Fact]
    public async Task A_lookup_order_reads_rows_the_caller_reads_only()
    {
        await SeedAsync();
        var basic = await Principals.AddUserAsync(server.Store, "Basic", _tag, server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, basic, SecurityCatalog.BasicUserRoleId);
        await server.Admin.CreateAccountAsync($"{_tag} 6", $$""" "ownerid@odata.bind":"/systemusers({{basic}})" """);
        using var client = server.ClientFor(basic);

        using var response = await client.SendAsync(HttpMethod.Get, $"{Accounts}?$select=msdyn_name&$filter={Tagged}&$orderby=_ownerid_value");
        var body = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([$"{_tag} 6"], body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("msdyn_name").GetString()).ToList());
    }
}

public sealed class LookupOrderingTestsOnSqlite(SqliteServerFixture server) : LookupOrderingTests(server), IClassFixture<SqliteServerFixture>;

public sealed class LookupOrderingTestsOnPostgres(PostgresServerFixture server) : LookupOrderingTests(server), IClassFixture<PostgresServerFixture>;
