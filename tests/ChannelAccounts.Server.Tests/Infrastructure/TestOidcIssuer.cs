using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>
/// A tiny OpenID Connect issuer on 127.0.0.1: its discovery document and JWKS (one RSA key made for the test), and
/// tokens signed with that key. No network beyond loopback.
/// </summary>
public sealed class TestOidcIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key;

    private TestOidcIssuer(WebApplication app, RsaSecurityKey key, string authority)
    {
        _app = app;
        _key = key;
        Authority = authority;
    }

    /// <summary>http://127.0.0.1:port/tenant — also the `iss` of its tokens.</summary>
    public string Authority { get; }

    /// <summary>The public half of the signing key, for servers configured offline (ServerOptions.ExternalSigningKeys).</summary>
    public SecurityKey PublicKey => new RsaSecurityKey(_key.Rsa.ExportParameters(false)) { KeyId = _key.KeyId };

    /// <summary>A token of the given issuer signed with this issuer's key.</summary>
    public string IssueAs(string issuer, string audience, params (string Type, string Value)[] claims) => Sign(_key, issuer, audience, claims);

    public static async Task<TestOidcIssuer> StartAsync()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-" + Guid.NewGuid().ToString("N")[..8] };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        string? authority = null;
        app.MapGet("/tenant/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority!,
            ["jwks_uri"] = authority + "/jwks",
            ["authorization_endpoint"] = authority + "/authorize",
            ["token_endpoint"] = authority + "/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/tenant/jwks", () =>
        {
            var parameters = key.Rsa.ExportParameters(false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new
                    {
                        kty = "RSA",
                        use = "sig",
                        alg = "RS256",
                        kid = key.KeyId,
                        n = Base64UrlEncoder.Encode(parameters.Modulus),
                        e = Base64UrlEncoder.Encode(parameters.Exponent),
                    },
                },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        authority = address.TrimEnd('/') + "/tenant";
        return new TestOidcIssuer(app, key, authority);
    }

    /// <summary>A token of this issuer with the given claims (oid, appid, azp…), valid for an hour.</summary>
    public string Issue(string audience, params (string Type, string Value)[] claims) => Sign(_key, Authority, audience, claims);

    /// <summary>A token claiming this issuer but signed with another key.</summary>
    public string IssueForged(string audience, params (string Type, string Value)[] claims) =>
        Sign(new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId }, Authority, audience, claims);

    private static string Sign(RsaSecurityKey key, string issuer, string audience, (string Type, string Value)[] claims)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)).Append(new Claim("sub", "external-subject"))),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Rsa.Dispose();
    }
}
