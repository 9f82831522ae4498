using System.Net;
using System.Text.Json;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Server.Tests.Infrastructure;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.Twilio.TwilioCalls;

namespace ChannelAccounts.Server.Tests.Twilio;

/// <summary>ca_whatsappmessages through the Web API: read with the security of their account, never written by callers.</summary>
public abstract class WhatsAppMessageReadTests(IServerFixture server)
{
    private sealed record World(TwilioAccount Account, string[] Sids, HttpClient Owner, HttpClient Stranger, Guid StrangerId);

    /// <summary>An account owned by a Basic user with three stored messages, and a Basic user with no relation to it.</summary>
    private async Task<World> ArrangeAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var owner = await Principals.AddUserAsync(server.Store, "Olga", "Owner" + tag, server.Organization.RootBusinessUnitId);
        var stranger = await Principals.AddUserAsync(server.Store, "Sid", "Stranger" + tag, server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, owner, SecurityCatalog.BasicUserRoleId);
        await Principals.AssignRoleAsync(server.Store, stranger, SecurityCatalog.BasicUserRoleId);
        var account = await server.Admin.CreateTwilioAccountAsync($"\"ownerid@odata.bind\":\"/systemusers({owner})\"");
        string[] sids = [NewMessageSid(), NewMessageSid(), NewMessageSid()];
        for (var i = 0; i < sids.Length; i++)
        {
            using var response = await server.DeliverAsync(account, InboundMessage(account, sids[i], $"message {i}"));
            await AssertEmptyTwimlAsync(response);
        }

        return new World(account, sids, server.ClientFor(owner), server.ClientFor(stranger), stranger);
    }

    private static string Latest(Guid accountId) =>
        $"{Messages}?$filter=_ca_whatsappaccountid_value eq {accountId}&$orderby=ca_receivedon desc&$top=20&$count=true";

    private static async Task<int> CountAsync(HttpClient client, Guid accountId)
    {
        using var response = await client.SendAsync(HttpMethod.Get, $"{Messages}/$count?$filter=_ca_whatsappaccountid_value eq {accountId}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return int.Parse(text.Trim('\uFEFF', ' '), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_owner_of_the_account_reads_its_latest_messages_with_count_and_order()
    {
        var world = await ArrangeAsync();

        var page = await world.Owner.GetJsonAsync(Latest(world.Account.Id));

        Assert.Equal(3, page.GetProperty("@odata.count").GetInt32());
        var rows = page.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(world.Sids.Order(StringComparer.Ordinal), rows.Select(r => r.GetProperty("ca_messagesid").GetString()!).Order(StringComparer.Ordinal));
        var received = rows.Select(r => r.GetProperty("ca_receivedon").GetDateTimeOffset()).ToList();
        Assert.Equal(received.OrderDescending(), received);
        Assert.Equal(3, await CountAsync(world.Owner, world.Account.Id));
    }

    [Fact]
    public async Task An_unrelated_Basic_user_sees_neither_the_messages_nor_their_count_until_the_account_is_shared()
    {
        var world = await ArrangeAsync();
        var one = IdOf(await world.Owner.GetJsonAsync(Latest(world.Account.Id)));

        var page = await world.Stranger.GetJsonAsync(Latest(world.Account.Id));
        Assert.Equal(0, page.GetProperty("@odata.count").GetInt32());
        Assert.Empty(page.GetProperty("value").EnumerateArray());
        Assert.Equal(0, await CountAsync(world.Stranger, world.Account.Id));
        using (var retrieve = await world.Stranger.SendAsync(HttpMethod.Get, $"{Messages}({one})"))
        {
            Assert.Equal("0x80048306", (await retrieve.ErrorAsync(HttpStatusCode.Forbidden)).Code);
        }

        using (var grant = await server.Admin.SendAsync(HttpMethod.Post, "GrantAccess",
                   $$$"""{"Target":{"@odata.type":"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount","msdyn_ocwhatsappchannelaccountid":"{{{world.Account.Id}}}"},"PrincipalAccess":{"Principal":{"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"{{{world.StrangerId}}}"},"AccessMask":"ReadAccess"}}"""))
        {
            Assert.Equal(HttpStatusCode.NoContent, grant.StatusCode);
        }

        Assert.Equal(3, (await world.Stranger.GetJsonAsync(Latest(world.Account.Id))).GetProperty("@odata.count").GetInt32());
        Assert.Equal(3, await CountAsync(world.Stranger, world.Account.Id));
        Assert.Equal(one, (await world.Stranger.GetJsonAsync($"{Messages}({one})?$select=ca_messagesid")).GetProperty("ca_whatsappmessageid").GetGuid());
    }

    [Fact]
    public async Task Aggregates_count_only_the_messages_of_readable_accounts()
    {
        var world = await ArrangeAsync();
        const string groups = Messages + "?$apply=groupby((ca_messagestatus),aggregate($count as n))";

        var owner = (await world.Owner.GetJsonAsync(groups)).GetProperty("value");
        var stranger = (await world.Stranger.GetJsonAsync(groups)).GetProperty("value");

        var group = Assert.Single(owner.EnumerateArray());
        Assert.Equal("received", group.GetProperty("ca_messagestatus").GetString());
        Assert.Equal(3, group.GetProperty("n").GetInt32());
        Assert.Empty(stranger.EnumerateArray());
    }

    [Fact]
    public async Task A_message_expands_its_account_and_secured_columns_are_never_ciphertext()
    {
        var world = await ArrangeAsync();
        var one = IdOf(await world.Owner.GetJsonAsync(Latest(world.Account.Id)));

        var asOwner = await world.Owner.GetJsonAsync($"{Messages}({one})?$select=ca_body&$expand=ca_whatsappaccountid");
        var account = asOwner.GetProperty("ca_whatsappaccountid");
        Assert.Equal(world.Account.Id, account.GetProperty("msdyn_ocwhatsappchannelaccountid").GetGuid());
        Assert.Equal(JsonValueKind.Null, account.GetProperty("msdyn_authenticationtoken").ValueKind);

        var asAdmin = await server.Admin.GetJsonAsync($"{Messages}({one})?$expand=ca_whatsappaccountid($select=msdyn_name,msdyn_authenticationtoken)");
        Assert.Equal(world.Account.AuthToken, asAdmin.GetProperty("ca_whatsappaccountid").GetProperty("msdyn_authenticationtoken").GetString());
        Assert.Equal(world.Account.Id, asAdmin.GetProperty("_ca_whatsappaccountid_value").GetGuid());
    }

    [Fact]
    public async Task Callers_cannot_create_update_or_delete_messages()
    {
        var world = await ArrangeAsync();
        var one = IdOf(await world.Owner.GetJsonAsync(Latest(world.Account.Id)));

        using var create = await server.Admin.SendAsync(HttpMethod.Post, Messages, $"{{\"ca_messagesid\":\"{NewMessageSid()}\"}}");
        using var update = await server.Admin.SendAsync(HttpMethod.Patch, $"{Messages}({one})", """{"ca_body":"changed"}""");
        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, $"{Messages}({one})");
        // Linking or unlinking through the account's one-to-many navigation would change the message's lookup.
        var navigation = $"msdyn_ocwhatsappchannelaccounts({world.Account.Id})/ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage";
        using var link = await server.Admin.SendAsync(HttpMethod.Post, navigation + "/$ref", $$"""{"@odata.id":"{{Messages}}({{one}})"}""");
        using var unlink = await server.Admin.SendAsync(HttpMethod.Delete, $"{navigation}({one})/$ref");

        // Creating one through that navigation, or inside the account's body, is refused without pointing to a route that refuses too.
        using var throughNavigation = await server.Admin.SendAsync(HttpMethod.Post, navigation, """{"ca_body":"x"}""");
        using var deepInsert = await server.Admin.SendAsync(HttpMethod.Patch, $"msdyn_ocwhatsappchannelaccounts({world.Account.Id})",
            """{"ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage":[{"ca_body":"x"}]}""");
        var (_, navigationMessage) = await throughNavigation.ErrorAsync(HttpStatusCode.MethodNotAllowed);
        var (_, deepInsertMessage) = await deepInsert.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.All(new[] { navigationMessage, deepInsertMessage }, message =>
        {
            Assert.Contains("written only by the Twilio webhook", message, StringComparison.Ordinal);
            Assert.DoesNotContain("POST ca_whatsappmessages", message, StringComparison.Ordinal);
        });

        foreach (var response in new[] { create, update, delete, link, unlink })
        {
            var (_, message) = await response.ErrorAsync(HttpStatusCode.MethodNotAllowed);
            Assert.Contains("written only by the Twilio webhook", message, StringComparison.Ordinal);
        }

        Assert.StartsWith("message ", (await server.Admin.GetJsonAsync($"{Messages}({one})?$select=ca_body")).GetProperty("ca_body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_account_deletes_its_messages()
    {
        var world = await ArrangeAsync();

        using var delete = await server.Admin.SendAsync(HttpMethod.Delete, $"{Accounts}({world.Account.Id})");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        foreach (var sid in world.Sids)
        {
            Assert.Empty(await server.MessagesAsync(sid));
        }
    }

    [Fact]
    public async Task The_table_is_in_metadata_and_EntityDefinitions()
    {
        using var metadata = await server.Admin.SendAsync(HttpMethod.Get, "$metadata");
        var csdl = await metadata.Content.ReadAsStringAsync();
        Assert.Contains("EntitySet Name=\"ca_whatsappmessages\"", csdl, StringComparison.Ordinal);
        Assert.Contains("NavigationProperty Name=\"ca_whatsappaccountid\"", csdl, StringComparison.Ordinal);

        var definition = await server.Admin.GetJsonAsync("EntityDefinitions(LogicalName='ca_whatsappmessage')?$select=EntitySetName,PrimaryNameAttribute");
        Assert.Equal("ca_whatsappmessages", definition.GetProperty("EntitySetName").GetString());
        Assert.Equal("ca_messagesid", definition.GetProperty("PrimaryNameAttribute").GetString());
    }

    private static Guid IdOf(JsonElement page) => page.GetProperty("value")[0].GetProperty("ca_whatsappmessageid").GetGuid();
}

public sealed class WhatsAppMessageReadTestsOnSqlite(SqliteServerFixture server) : WhatsAppMessageReadTests(server), IClassFixture<SqliteServerFixture>;

public sealed class WhatsAppMessageReadTestsOnPostgres(PostgresServerFixture server) : WhatsAppMessageReadTests(server), IClassFixture<PostgresServerFixture>;
