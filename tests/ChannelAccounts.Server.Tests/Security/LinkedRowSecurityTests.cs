using System.Net;
using System.Text.Json;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

/// <summary>A linked table's rows obey the caller's read filter too: a join must not show what a direct query hides.</summary>
public abstract class LinkedRowSecurityTests(IServerFixture server, SecurityWorld world)
{
    /// <summary>Users with the accounts they own named <paramref name="name"/>, through a link-entity on ownerid.</summary>
    private static string UsersOwning(string name, string linkType) =>
        "systemusers?fetchXml=" + Uri.EscapeDataString($"""
            <fetch><entity name="systemuser"><attribute name="fullname"/>
              <link-entity name="msdyn_ocwhatsappchannelaccount" from="ownerid" to="systemuserid" link-type="{linkType}" alias="a">
                <attribute name="msdyn_name"/>
                <filter><condition attribute="msdyn_name" operator="eq" value="{name}"/></filter>
              </link-entity>
            </entity></fetch>
            """);

    private static List<JsonElement> Rows(JsonElement body) => body.GetProperty("value").EnumerateArray().ToList();

    private async Task ShareAsync(Guid account, Guid user)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, "GrantAccess",
            $$$"""{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{{account}}}"},"PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{{user}}}"},"AccessMask":"ReadAccess"}}""");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task An_inner_link_leaves_out_rows_whose_linked_record_the_caller_may_not_read()
    {
        var name = "Linked " + Guid.NewGuid().ToString("N");
        var account = await server.Admin.CreateAccountAsync(name);
        using var colleague = server.ClientFor(world.SupportColleague);

        Assert.Single(Rows(await server.Admin.GetJsonAsync(UsersOwning(name, "inner"))));
        Assert.Empty(Rows(await colleague.GetJsonAsync(UsersOwning(name, "inner"))));

        await ShareAsync(account, world.SupportColleague);
        var row = Assert.Single(Rows(await colleague.GetJsonAsync(UsersOwning(name, "inner"))));
        Assert.Equal(name, row.GetProperty("a_x002e_msdyn_name").GetString());
    }

    [Fact]
    public async Task An_outer_link_keeps_the_row_without_the_columns_of_an_unreadable_linked_record()
    {
        var name = "Outer " + Guid.NewGuid().ToString("N");
        await server.Admin.CreateAccountAsync(name);
        using var colleague = server.ClientFor(world.SupportColleague);

        var rows = Rows(await colleague.GetJsonAsync(UsersOwning(name, "outer")));

        Assert.Contains(rows, r => r.GetProperty("systemuserid").GetGuid() == server.Organization.AdminUserId);
        Assert.DoesNotContain(rows, r => r.TryGetProperty("a_x002e_msdyn_name", out var value) && value.GetString() == name);
    }

    /// <summary>Users with, through their business unit (a nested link), the accounts of that unit named <paramref name="name"/>.</summary>
    private static string UsersWithUnitAccounts(string name) =>
        "systemusers?fetchXml=" + Uri.EscapeDataString($"""
            <fetch><entity name="systemuser"><attribute name="fullname"/>
              <link-entity name="businessunit" from="businessunitid" to="businessunitid" alias="unit">
                <attribute name="name"/>
                <link-entity name="msdyn_ocwhatsappchannelaccount" from="owningbusinessunit" to="businessunitid" alias="a">
                  <attribute name="msdyn_name"/>
                  <filter><condition attribute="msdyn_name" operator="eq" value="{name}"/></filter>
                </link-entity>
              </link-entity>
            </entity></fetch>
            """);

    [Fact]
    public async Task A_nested_link_leaves_out_rows_whose_linked_record_the_caller_may_not_read()
    {
        var name = "Nested " + Guid.NewGuid().ToString("N");
        var account = await server.Admin.CreateAccountAsync(name);
        using var colleague = server.ClientFor(world.SupportColleague);

        Assert.Contains(Rows(await server.Admin.GetJsonAsync(UsersWithUnitAccounts(name))),
            r => r.GetProperty("systemuserid").GetGuid() == server.Organization.AdminUserId && r.GetProperty("a_x002e_msdyn_name").GetString() == name);
        Assert.Empty(Rows(await colleague.GetJsonAsync(UsersWithUnitAccounts(name))));

        await ShareAsync(account, world.SupportColleague);
        Assert.Contains(Rows(await colleague.GetJsonAsync(UsersWithUnitAccounts(name))), r => r.GetProperty("a_x002e_msdyn_name").GetString() == name);
    }

    [Fact]
    public async Task An_aggregate_over_a_link_counts_only_linked_records_the_caller_may_read()
    {
        var name = "Counted " + Guid.NewGuid().ToString("N");
        var account = await server.Admin.CreateAccountAsync(name);
        using var colleague = server.ClientFor(world.SupportColleague);
        var url = "systemusers?fetchXml=" + Uri.EscapeDataString($"""
            <fetch aggregate="true"><entity name="systemuser"><attribute name="systemuserid" alias="n" aggregate="count"/>
              <link-entity name="msdyn_ocwhatsappchannelaccount" from="ownerid" to="systemuserid" link-type="inner" alias="a">
                <filter><condition attribute="msdyn_name" operator="eq" value="{name}"/></filter>
              </link-entity>
            </entity></fetch>
            """);

        Assert.Equal(1, Rows(await server.Admin.GetJsonAsync(url))[0].GetProperty("n").GetInt32());
        Assert.Equal(0, Rows(await colleague.GetJsonAsync(url))[0].GetProperty("n").GetInt32());

        await ShareAsync(account, world.SupportColleague);
        Assert.Equal(1, Rows(await colleague.GetJsonAsync(url))[0].GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task A_link_to_a_table_the_caller_holds_no_read_privilege_on_is_refused()
    {
        var nobody = await Principals.AddUserAsync(server.Store, "Lina", "Nolink", world.Sales);
        using var client = server.ClientFor(nobody);

        using var response = await client.SendAsync(HttpMethod.Get, UsersOwning("anything", "outer"));

        var (code, message) = await response.ErrorAsync(HttpStatusCode.Forbidden);
        Assert.Equal("0x80040220", code);
        Assert.Contains("prvReadmsdyn_ocwhatsappchannelaccount", message);
    }
}

public sealed class LinkedRowSecurityTestsOnSqlite(SqliteSecurityFixture server)
    : LinkedRowSecurityTests(server, server.World), IClassFixture<SqliteSecurityFixture>;

public sealed class LinkedRowSecurityTestsOnPostgres(PostgresSecurityFixture server)
    : LinkedRowSecurityTests(server, server.World), IClassFixture<PostgresSecurityFixture>;
