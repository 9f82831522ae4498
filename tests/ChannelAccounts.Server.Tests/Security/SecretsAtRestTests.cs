using System.Net;
using System.Text;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using static ChannelAccounts.Server.Tests.Infrastructure.WebApiCalls;

namespace ChannelAccounts.Server.Tests.Security;

/// <summary>msdyn_authenticationtoken and msdyn_secureauthenticationtoken are encrypted at rest and read back in clear by callers who may.</summary>
public abstract class SecretsAtRestTests(IServerFixture server)
{
    private const string Token = "msdyn_authenticationtoken";
    private const string SecureToken = "msdyn_secureauthenticationtoken";

    private static string NewSecret() => "tok-" + Guid.NewGuid().ToString("N");

    private async Task<(Guid Id, string Plain, string SecurePlain)> CreateWithSecretsAsync(HttpClient client, string? extraJson = null)
    {
        var (plain, securePlain) = (NewSecret(), NewSecret());
        var id = await client.CreateAccountAsync("Secret holder",
            $"\"{Token}\":\"{plain}\",\"{SecureToken}\":\"{securePlain}\"" + (extraJson is null ? "" : "," + extraJson));
        return (id, plain, securePlain);
    }

    /// <summary>A user with the Basic User role (no column access) who owns a record holding both secrets.</summary>
    private async Task<(Guid User, Guid Id, string Plain)> BasicOwnerOfSecretsAsync(string firstName, string lastName)
    {
        var user = await Principals.AddUserAsync(server.Store, firstName, lastName, server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        var (id, plain, _) = await CreateWithSecretsAsync(server.Admin, $"\"ownerid@odata.bind\":\"/systemusers({user})\"");
        return (user, id, plain);
    }

    private async Task<StoredRow> RawRowAsync(Guid id)
    {
        await using var transaction = await server.Store.BeginAsync(TransactionMode.Read);
        return (await transaction.RetrieveAsync(server.Accounts, id, null))!;
    }

    private static void AssertNowhere(StoredRow row, params string[] plains)
    {
        foreach (var (column, value) in row)
        {
            foreach (var plain in plains)
            {
                Assert.DoesNotContain(plain, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task The_database_holds_only_ciphertext_and_the_admin_reads_the_plain_text()
    {
        var (id, plain, securePlain) = await CreateWithSecretsAsync(server.Admin);

        var row = await RawRowAsync(id);
        Assert.StartsWith("ca1:", (string)row[Token]!, StringComparison.Ordinal);
        Assert.StartsWith("ca1:", (string)row[SecureToken]!, StringComparison.Ordinal);
        AssertNowhere(row, plain, securePlain);

        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select={Token},{SecureToken}");
        Assert.Equal(plain, body.GetProperty(Token).GetString());
        Assert.Equal(securePlain, body.GetProperty(SecureToken).GetString());

        var list = await server.Admin.GetJsonAsync($"{Accounts}?$select={Token}&$filter=msdyn_ocwhatsappchannelaccountid eq {id}");
        Assert.Equal(plain, list.GetProperty("value")[0].GetProperty(Token).GetString());
    }

    [Fact]
    public async Task The_database_files_never_contain_the_plain_text()
    {
        if (!server.ConnectionSpec.StartsWith(DataStore.SqlitePrefix, StringComparison.Ordinal))
        {
            return; // PostgreSQL's files belong to its server; the raw-row test covers what it stores.
        }

        var (_, plain, securePlain) = await CreateWithSecretsAsync(server.Admin);
        var path = server.ConnectionSpec[DataStore.SqlitePrefix.Length..];
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(FULL)";
            await checkpoint.ExecuteNonQueryAsync();
        }

        foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var bytes = new byte[stream.Length];
            await stream.ReadExactlyAsync(bytes);
            Assert.True(bytes.Length > 0);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(plain)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(securePlain)));
        }
    }

    [Fact]
    public async Task A_second_server_on_the_same_database_reads_the_plain_text()
    {
        var (id, plain, _) = await CreateWithSecretsAsync(server.Admin);
        await using var store = DataStore.Open(server.ConnectionSpec, server.Store.Catalog);
        await using var second = await RunningServer.StartAsync(store);
        using var client = second.ClientFor(server.Organization.AdminUserId);

        var body = await client.GetJsonAsync($"{Accounts}({id})?$select={Token}");

        Assert.Equal(plain, body.GetProperty(Token).GetString());

        // And what the second server writes, the first reads.
        var (otherId, otherPlain, _) = await CreateWithSecretsAsync(client);
        var back = await server.Admin.GetJsonAsync($"{Accounts}({otherId})?$select={Token}");
        Assert.Equal(otherPlain, back.GetProperty(Token).GetString());
    }

    [Fact]
    public async Task A_basic_user_owning_the_record_reads_null_for_both_secured_columns()
    {
        var (user, id, _) = await BasicOwnerOfSecretsAsync("Bea", "Basic");
        using var client = server.ClientFor(user);

        var body = await client.GetJsonAsync($"{Accounts}({id})?$select=msdyn_name,{Token},{SecureToken}");
        Assert.Equal("Secret holder", body.GetProperty("msdyn_name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty(Token).ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty(SecureToken).ValueKind);

        var list = await client.GetJsonAsync($"{Accounts}?$select={Token},{SecureToken}&$filter=msdyn_ocwhatsappchannelaccountid eq {id}");
        var only = list.GetProperty("value").EnumerateArray().Single();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, only.GetProperty(Token).ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, only.GetProperty(SecureToken).ValueKind);
    }

    [Fact]
    public async Task A_user_without_column_access_can_neither_set_nor_change_nor_clear_a_secured_column()
    {
        var (user, id, plain) = await BasicOwnerOfSecretsAsync("Wes", "Writer");
        using var client = server.ClientFor(user);

        using var create = await client.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"Own secret","{{Token}}":"{{NewSecret()}}"}""");
        using var change = await client.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $$"""{"{{Token}}":"{{NewSecret()}}"}""");
        using var clear = await client.SendAsync(HttpMethod.Put, $"{Accounts}({id})/{SecureToken}", """{"value":null}""");

        Assert.Equal("0x8004f502", (await create.ErrorAsync(HttpStatusCode.Forbidden)).Code);
        Assert.Equal("0x8004f507", (await change.ErrorAsync(HttpStatusCode.Forbidden)).Code);
        Assert.Contains(SecureToken, (await clear.ErrorAsync(HttpStatusCode.Forbidden)).Message);
        var stored = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select={Token},{SecureToken}");
        Assert.Equal(plain, stored.GetProperty(Token).GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, stored.GetProperty(SecureToken).ValueKind);

        // The columns it may write are still its to write, and a create without a secret succeeds.
        using var rename = await client.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", """{"msdyn_name":"Renamed by its owner"}""");
        Assert.Equal(HttpStatusCode.NoContent, rename.StatusCode);
        using var plainCreate = await client.SendAsync(HttpMethod.Post, Accounts, $$"""{"msdyn_name":"No secret","{{Token}}":null}""");
        Assert.Equal(HttpStatusCode.NoContent, plainCreate.StatusCode);
    }

    [Fact]
    public async Task An_update_of_a_token_stores_it_encrypted_again()
    {
        var (id, plain, _) = await CreateWithSecretsAsync(server.Admin);
        var before = (string)(await RawRowAsync(id))[Token]!;
        var replacement = NewSecret();

        using var response = await server.Admin.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $"{{\"{Token}\":\"{replacement}\"}}");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);

        var row = await RawRowAsync(id);
        Assert.StartsWith("ca1:", (string)row[Token]!, StringComparison.Ordinal);
        Assert.NotEqual(before, row[Token]);
        AssertNowhere(row, plain, replacement);
        var body = await server.Admin.GetJsonAsync($"{Accounts}({id})?$select={Token}");
        Assert.Equal(replacement, body.GetProperty(Token).GetString());
    }

    [Fact]
    public async Task A_single_property_put_is_encrypted_and_its_get_is_plain()
    {
        var (id, _, _) = await CreateWithSecretsAsync(server.Admin);
        var replacement = NewSecret();

        using var put = await server.Admin.SendAsync(HttpMethod.Put, $"{Accounts}({id})/{SecureToken}", $"{{\"value\":\"{replacement}\"}}");
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        AssertNowhere(await RawRowAsync(id), replacement);
        Assert.Equal(replacement, (await server.Admin.GetJsonAsync($"{Accounts}({id})/{SecureToken}")).GetProperty("value").GetString());
        using var raw = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}({id})/{SecureToken}/$value");
        Assert.Equal(replacement, await raw.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Length_applies_to_the_plain_text()
    {
        var longest = new string('k', 255);
        var id = await server.Admin.CreateAccountAsync("Longest token", $"\"{Token}\":\"{longest}\"");
        Assert.Equal(longest, (await server.Admin.GetJsonAsync($"{Accounts}({id})?$select={Token}")).GetProperty(Token).GetString());

        using var response = await server.Admin.SendAsync(HttpMethod.Post, Accounts,
            $"{{\"msdyn_name\":\"Too long\",\"{Token}\":\"{new string('k', 256)}\"}}");
        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(Token, message);
    }

    [Theory]
    [InlineData("$filter=msdyn_authenticationtoken eq 'x'", Token)]
    [InlineData("$filter=msdyn_name eq 'a' or startswith(msdyn_secureauthenticationtoken,'x')", SecureToken)]
    [InlineData("$orderby=msdyn_authenticationtoken desc", Token)]
    public async Task Filtering_or_sorting_on_a_secured_column_is_400_naming_it(string options, string column)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?{options}");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(column, message);
    }

    [Theory]
    [InlineData("$apply=groupby((msdyn_authenticationtoken))", Token)]
    [InlineData("$apply=aggregate(msdyn_secureauthenticationtoken with countdistinct as n)", SecureToken)]
    [InlineData("fetchXml=<fetch aggregate='true'><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_authenticationtoken' groupby='true' alias='t'/><attribute name='msdyn_name' aggregate='count' alias='n'/></entity></fetch>", Token)]
    [InlineData("fetchXml=<fetch aggregate='true'><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name' aggregate='count' alias='n'/><link-entity name='msdyn_ocwhatsappchannelaccount' from='msdyn_ocwhatsappchannelaccountid' to='msdyn_ocwhatsappchannelaccountid' alias='self'><attribute name='msdyn_secureauthenticationtoken' aggregate='countcolumn' alias='t'/></link-entity></entity></fetch>", SecureToken)]
    public async Task Grouping_or_aggregating_a_secured_column_is_400_saying_so(string options, string column)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, $"{Accounts}?{options}");

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(column, message);
        Assert.Contains("cannot group or aggregate it", message);
    }

    [Theory]
    [InlineData("ca_whatsappmessages?$filter=ca_whatsappaccountid/msdyn_authenticationtoken ne null", Token)]
    [InlineData("ca_whatsappmessages?$filter=startswith(ca_whatsappaccountid/msdyn_secureauthenticationtoken,'x')", SecureToken)]
    [InlineData("ca_whatsappmessages?fetchXml=<fetch><entity name='ca_whatsappmessage'><link-entity name='msdyn_ocwhatsappchannelaccount' from='msdyn_ocwhatsappchannelaccountid' to='ca_whatsappaccountid'><filter><condition attribute='msdyn_authenticationtoken' operator='not-null'/></filter></link-entity></entity></fetch>", Token)]
    [InlineData("ca_whatsappmessages?fetchXml=<fetch><entity name='ca_whatsappmessage'><link-entity name='msdyn_ocwhatsappchannelaccount' from='msdyn_ocwhatsappchannelaccountid' to='ca_whatsappaccountid' alias='a'/><filter><condition entityname='a' attribute='msdyn_authenticationtoken' operator='eq' value='x'/></filter></entity></fetch>", Token)]
    [InlineData("msdyn_ocwhatsappchannelaccounts?fetchXml=<fetch><entity name='msdyn_ocwhatsappchannelaccount'><filter><condition entityname='msdyn_ocwhatsappchannelaccount' attribute='msdyn_authenticationtoken' operator='like' value='%a%'/></filter></entity></fetch>", Token)]
    [InlineData("msdyn_ocwhatsappchannelaccounts?fetchXml=<fetch aggregate='true'><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name' aggregate='count' alias='n'/><filter><condition entityname='msdyn_ocwhatsappchannelaccount' attribute='msdyn_authenticationtoken' operator='not-null'/></filter></entity></fetch>", Token)]
    [InlineData("msdyn_ocwhatsappchannelaccounts?fetchXml=<fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name'/><link-entity name='msdyn_ocwhatsappchannelaccount' from='msdyn_authenticationtoken' to='msdyn_authenticationtoken' alias='s'/></entity></fetch>", Token)]
    [InlineData("ca_whatsappmessages?fetchXml=<fetch><entity name='ca_whatsappmessage'><link-entity name='msdyn_ocwhatsappchannelaccount' from='msdyn_ocwhatsappchannelaccountid' to='ca_whatsappaccountid'><order attribute='msdyn_authenticationtoken'/></link-entity></entity></fetch>", Token)]
    [InlineData("ca_whatsappmessages?fetchXml=<fetch><entity name='ca_whatsappmessage'><order entityname='a' attribute='msdyn_secureauthenticationtoken'/><link-entity name='msdyn_ocwhatsappchannelaccount' from='msdyn_ocwhatsappchannelaccountid' to='ca_whatsappaccountid' alias='a'/></entity></fetch>", SecureToken)]
    [InlineData("msdyn_ocwhatsappchannelaccounts?fetchXml=<fetch><entity name='msdyn_ocwhatsappchannelaccount'><attribute name='msdyn_name'/><link-entity name='msdyn_ocwhatsappchannelaccount' from='msdyn_name' to='msdyn_secureauthenticationtoken' alias='s'/></entity></fetch>", SecureToken)]
    public async Task Filtering_on_a_secured_column_of_a_linked_table_is_400_naming_it(string url, string column)
    {
        using var response = await server.Admin.SendAsync(HttpMethod.Get, url);

        var (_, message) = await response.ErrorAsync(HttpStatusCode.BadRequest);
        Assert.Contains(column, message);
    }

    [Fact]
    public async Task No_log_line_contains_a_token()
    {
        var logs = new CapturedLogs();
        await using var store = DataStore.Open(server.ConnectionSpec, server.Store.Catalog);
        await using (var logged = await RunningServer.StartAsync(store, configure: builder =>
                     {
                         builder.Logging.AddProvider(logs);
                         builder.Logging.SetMinimumLevel(LogLevel.Trace);
                     }))
        {
            using var client = logged.ClientFor(server.Organization.AdminUserId);
            var (id, plain, securePlain) = await CreateWithSecretsAsync(client);
            await client.GetJsonAsync($"{Accounts}({id})?$select={Token},{SecureToken}");
            using var tooLong = await client.SendAsync(HttpMethod.Patch, $"{Accounts}({id})", $"{{\"{Token}\":\"{plain}{new string('x', 300)}\"}}");
            Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);

            Assert.NotEmpty(logs.Lines);
            Assert.DoesNotContain(logs.Lines, line => line.Contains(plain, StringComparison.Ordinal) || line.Contains(securePlain, StringComparison.Ordinal));
        }
    }
}

public sealed class SecretsAtRestTestsOnSqlite(SqliteServerFixture server) : SecretsAtRestTests(server), IClassFixture<SqliteServerFixture>;

public sealed class SecretsAtRestTestsOnPostgres(PostgresServerFixture server) : SecretsAtRestTests(server), IClassFixture<PostgresServerFixture>;
