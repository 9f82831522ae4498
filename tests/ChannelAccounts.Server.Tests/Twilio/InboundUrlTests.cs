using System.Net;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Server.Tests.WebApi.Batch;
using ChannelAccounts.Testing;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;
using static ChannelAccounts.Server.Tests.Twilio.TwilioCalls;

namespace ChannelAccounts.Server.Tests.Twilio;

/// <summary>msdyn_twilioinboundurl is generated on every create path unless given; msdyn_provideraccountid must be an Account SID.</summary>
public abstract class InboundUrlTests(IServerFixture server)
{
    private const string Type = "\"@odata.type\":\"Microsoft.Dynamics.CRM.msdyn_ocwhatsappchannelaccount\"";

    private string Expected(Guid id) => new Uri(server.Root, $"twilio/whatsapp/{id}/inbound").ToString();

    private async Task<string?> InboundUrlAsync(Guid id) =>
        (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select=msdyn_twilioinboundurl")).GetProperty("msdyn_twilioinboundurl").GetString();

    private static string Account(string name) => $"{{\"msdyn_name\":\"{name}\",\"msdyn_provideraccountid\":\"{NewAccountSid()}\"}}";

    [Fact]
    public async Task Create_without_inbound_url_generates_the_public_address_plus_the_accounts_path()
    {
        var account = await server.Admin.CreateTwilioAccountAsync();

        Assert.Equal(Expected(account.Id), account.InboundUrl);
    }

    [Fact]
    public async Task A_supplied_inbound_url_is_kept_verbatim()
    {
        const string url = "https://WA.contoso.example:8443/Hooks/whatsapp?channel=wa1&x=%41";
        var account = await server.Admin.CreateTwilioAccountAsync($"\"msdyn_twilioinboundurl\":\"{url}\"");

        Assert.Equal(url, account.InboundUrl);
    }

    [Fact]
    public async Task Upsert_CreateMultiple_UpsertMultiple_and_batch_creates_generate_it_too()
    {
        var upserted = Guid.NewGuid();
        using (var upsert = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({upserted})", Account("Upserted")))
        {
            Assert.Equal(HttpStatusCode.NoContent, upsert.StatusCode);
        }

        var bulk = $"{{\"Targets\":[{{{Type},\"msdyn_name\":\"Bulk\",\"msdyn_provideraccountid\":\"{NewAccountSid()}\"}}]}}";
        using var createMultiple = await server.Admin.SendAsync(HttpMethod.Post, $"{Accounts}/Microsoft.Dynamics.CRM.CreateMultiple", bulk);
        var created = (await createMultiple.JsonAsync()).GetProperty("Ids")[0].GetGuid();

        var upsertedInBulk = Guid.NewGuid();
        var upsertBody = $"{{\"Targets\":[{{{Type},\"msdyn_ocwhatsappchannelaccountid\":\"{upsertedInBulk}\",\"msdyn_name\":\"Bulk upsert\",\"msdyn_provideraccountid\":\"{NewAccountSid()}\"}}]}}";
        using (var upsertMultiple = await server.Admin.SendAsync(HttpMethod.Post, $"{Accounts}/Microsoft.Dynamics.CRM.UpsertMultiple", upsertBody))
        {
            Assert.True(upsertMultiple.StatusCode == HttpStatusCode.NoContent, await upsertMultiple.Content.ReadAsStringAsync());
        }

        using var batch = await server.Admin.SendAsync(new BatchBody().ChangeSet(("POST", Accounts, Account("Batched"), "1")).ToRequest());
        var batched = IdFromEntityUri((await BatchAnswer.PartsAsync(batch))[0].Headers["OData-EntityId"]);

        foreach (var id in new[] { upserted, created, upsertedInBulk, batched })
        {
            Assert.Equal(Expected(id), await InboundUrlAsync(id));
        }
    }

    [Theory]
    [InlineData("ftp://wa.contoso.example/inbound")]
    [InlineData("/twilio/whatsapp/inbound")]
    [InlineData("wa.contoso.example")]
    public async Task An_inbound_url_that_is_not_an_absolute_http_url_is_a_400_naming_the_column(string url)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $"{{\"msdyn_name\":\"Bad URL\",\"msdyn_provideraccountid\":\"{NewAccountSid()}\",\"msdyn_twilioinboundurl\":\"{url}\"}}");

        var (code, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80040203", code);
        Assert.Contains("msdyn_twilioinboundurl", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AC1")]
    [InlineData("SK0123456789abcdef0123456789abcdef")]
    [InlineData("AC0123456789abcdef0123456789abcdeZ")]
    public async Task An_Account_SID_that_is_not_AC_and_32_hex_characters_is_a_400_on_create_update_and_CreateMultiple(string sid)
    {
        var tag = "sid" + Guid.NewGuid().ToString("N")[..8];
        using var create = await server.Admin.SendAsync(HttpMethod.Post, Accounts, $"{{\"msdyn_name\":\"{tag}\",\"msdyn_provideraccountid\":\"{sid}\"}}");
        var (code, message) = await create.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Equal("0x80040203", code);
        Assert.Contains("msdyn_provideraccountid", message, StringComparison.Ordinal);
        Assert.Contains("'AC' followed by 32 hexadecimal characters", message, StringComparison.Ordinal);

        var account = await server.Admin.CreateTwilioAccountAsync();
        using var update = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({account.Id})", $"{{\"msdyn_provideraccountid\":\"{sid}\"}}");
        await update.ErrorAsync(HttpStatusCode.BadRequest);
        var stored = await server.Admin.GetJsonAsync($"{Accounts}({account.Id})?$select=msdyn_provideraccountid");
        Assert.Equal(account.AccountSid, stored.GetProperty("msdyn_provideraccountid").GetString());

        var bulk = $"{{\"Targets\":[{{{Type},\"msdyn_name\":\"{tag}\",\"msdyn_provideraccountid\":\"{sid}\"}}]}}";
        using var createMultiple = await server.Admin.SendAsync(HttpMethod.Post, $"{Accounts}/Microsoft.Dynamics.CRM.CreateMultiple", bulk);
        await createMultiple.ErrorAsync(HttpStatusCode.BadRequest);
        using var count = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}/$count?$filter=msdyn_name eq '{tag}'");
        Assert.Equal("0", (await count.Content.ReadAsStringAsync()).Trim('\uFEFF', ' '));
    }

    [Fact]
    public async Task The_public_url_option_is_the_base_of_generated_inbound_urls()
    {
        await using var other = await RunningServer.StartAsync(server.Store, new ServerOptions { PublicUrl = "https://wa.contoso.example/channel" });
        using var admin = other.ClientFor(server.Organization.AdminUserId);

        var account = await admin.CreateTwilioAccountAsync();

        Assert.Equal($"https://wa.contoso.example/channel/twilio/whatsapp/{account.Id}/inbound", account.InboundUrl);
    }

    [Theory]
    [InlineData("wa.contoso.example")]
    [InlineData("ftp://wa.contoso.example")]
    [InlineData("https://wa.contoso.example/?x=1")]
    public async Task A_public_url_that_is_not_an_absolute_http_url_stops_the_start(string url)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RunningServer.StartAsync(server.Store, new ServerOptions { PublicUrl = url }));
        Assert.Contains("--public-url", error.Message, StringComparison.Ordinal);
    }
}

public sealed class InboundUrlTestsOnSqlite(SqliteServerFixture server) : InboundUrlTests(server), IClassFixture<SqliteServerFixture>;

public sealed class InboundUrlTestsOnPostgres(PostgresServerFixture server) : InboundUrlTests(server), IClassFixture<PostgresServerFixture>;
