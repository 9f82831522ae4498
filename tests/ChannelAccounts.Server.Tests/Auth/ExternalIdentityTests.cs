using System.Net;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Auth;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.Tests.Infrastructure;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Server.Tests.Auth;

/// <summary>Bearer tokens of a configured OpenID Connect issuer (a tiny one on loopback) beside the local tokens.</summary>
public abstract class ExternalIdentityTests(IServerFixture server) : IAsyncLifetime
{
    private const string Audience = "api://channelaccounts-tests";
    private TestOidcIssuer _issuer = null!;
    private IDataStore _store = null!;
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestOidcIssuer.StartAsync();
        _store = DataStore.Open(server.ConnectionSpec, server.Store.Catalog);
        _server = await RunningServer.StartAsync(_store, new ServerOptions { ExternalAuthority = _issuer.Authority, ExternalAudience = Audience });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _store.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    private async Task<Guid> AddUserWithAsync(string column, Guid value)
    {
        var user = await Principals.AddUserAsync(server.Store, "Ext", "User" + Guid.NewGuid().ToString("N")[..6], server.Organization.RootBusinessUnitId);
        await Principals.AssignRoleAsync(server.Store, user, SecurityCatalog.BasicUserRoleId);
        await using var transaction = await server.Store.BeginAsync(TransactionMode.Write);
        Assert.True(await transaction.UpdateAsync(server.Store.Catalog[MetadataCatalog.SystemUser], user, new StoredRow { [column] = value }));
        await transaction.CommitAsync();
        return user;
    }

    private async Task<HttpResponseMessage> WhoAmIAsync(string token)
    {
        using var client = _server.Client(token);
        return await client.GetAsync(new Uri("WhoAmI", UriKind.Relative));
    }

    [Fact]
    public async Task A_token_with_the_oid_of_a_user_is_that_user()
    {
        var oid = Guid.NewGuid();
        var user = await AddUserWithAsync("azureactivedirectoryobjectid", oid);

        using var response = await WhoAmIAsync(_issuer.Issue(Audience, ("oid", oid.ToString())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user, (await response.JsonAsync()).GetProperty("UserId").GetGuid());
    }

    [Fact]
    public async Task A_token_with_the_appid_of_an_application_user_is_that_user()
    {
        var appId = Guid.NewGuid();
        var user = await AddUserWithAsync("applicationid", appId);

        using var byAppId = await WhoAmIAsync(_issuer.Issue(Audience, ("appid", appId.ToString())));
        using var byAzp = await WhoAmIAsync(_issuer.Issue(Audience, ("azp", appId.ToString())));

        Assert.Equal(user, (await byAppId.JsonAsync()).GetProperty("UserId").GetGuid());
        Assert.Equal(user, (await byAzp.JsonAsync()).GetProperty("UserId").GetGuid());
    }

    [Fact]
    public async Task An_unknown_oid_is_401_naming_it()
    {
        var oid = Guid.NewGuid();

        using var response = await WhoAmIAsync(_issuer.Issue(Audience, ("oid", oid.ToString())));

        var (_, message) = await response.ErrorAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(oid.ToString(), message);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_401()
    {
        var oid = Guid.NewGuid();
        await AddUserWithAsync("azureactivedirectoryobjectid", oid);

        using var response = await WhoAmIAsync(_issuer.Issue("api://someone-else", ("oid", oid.ToString())));

        await response.ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        var oid = Guid.NewGuid();
        await AddUserWithAsync("azureactivedirectoryobjectid", oid);

        using var response = await WhoAmIAsync(_issuer.IssueForged(Audience, ("oid", oid.ToString())));

        await response.ErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Local_tokens_keep_working_beside_external_ones()
    {
        using var client = _server.ClientFor(server.Organization.AdminUserId);

        using var response = await client.GetAsync(new Uri("WhoAmI", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(server.Organization.AdminUserId, (await response.JsonAsync()).GetProperty("UserId").GetGuid());
    }

    [Fact]
    public async Task Offline_signing_keys_need_no_metadata()
    {
        const string authority = "https://login.example.test/offline-tenant/v2.0";
        var oid = Guid.NewGuid();
        var user = await AddUserWithAsync("azureactivedirectoryobjectid", oid);
        await using var offline = await RunningServer.StartAsync(_store,
            new ServerOptions { ExternalAuthority = authority, ExternalAudience = Audience, ExternalSigningKeys = [_issuer.PublicKey] });
        using var client = offline.Client(_issuer.IssueAs(authority, Audience, ("oid", oid.ToString())));

        using var response = await client.GetAsync(new Uri("WhoAmI", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user, (await response.JsonAsync()).GetProperty("UserId").GetGuid());
    }

    [Theory]
    [InlineData("http://login.example.test/tenant", "aud")]
    [InlineData("https://login.example.test/tenant", null)]
    [InlineData(null, "aud")]
    [InlineData("not a url", "aud")]
    public void A_bad_external_configuration_fails_at_start(string? authority, string? audience) =>
        Assert.Throws<InvalidOperationException>(() =>
            ExternalIdentityOptions.From(new ServerOptions { ExternalAuthority = authority, ExternalAudience = audience }));

    [Fact]
    public async Task Without_an_authority_external_tokens_are_401()
    {
        var oid = Guid.NewGuid();
        await AddUserWithAsync("azureactivedirectoryobjectid", oid);
        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", _issuer.Issue(Audience, ("oid", oid.ToString())));

        using var response = await client.GetAsync(new Uri("WhoAmI", UriKind.Relative));

        await response.ErrorAsync(HttpStatusCode.Unauthorized);
    }
}

public sealed class ExternalIdentityTestsOnSqlite(SqliteServerFixture server) : ExternalIdentityTests(server), IClassFixture<SqliteServerFixture>;

public sealed class ExternalIdentityTestsOnPostgres(PostgresServerFixture server) : ExternalIdentityTests(server), IClassFixture<PostgresServerFixture>;
