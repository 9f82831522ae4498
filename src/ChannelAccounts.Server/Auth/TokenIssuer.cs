using System.Security.Claims;
using System.Security.Cryptography;
using ChannelAccounts.Engine.Storage;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChannelAccounts.Server.Auth;

/// <summary>
/// Issues and validates the local bearer tokens: JWTs signed with an HMAC key kept in the database, so a token
/// from `token` is valid on every server of that database.
/// </summary>
public sealed class TokenIssuer
{
    public const string Issuer = "channelaccounts";
    public const string Audience = "channelaccounts";
    public const string SigningKeySetting = "auth.signingkey";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    private TokenIssuer(SymmetricSecurityKey key) => SigningKey = key;

    public SymmetricSecurityKey SigningKey { get; }

    /// <summary>Loads the database's signing key, creating it on first use (race-safe across servers).</summary>
    public static async Task<TokenIssuer> LoadAsync(IDataStore store, CancellationToken cancellationToken = default)
    {
        await using var transaction = await store.BeginAsync(TransactionMode.Write, cancellationToken);
        var candidate = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var stored = await transaction.GetOrAddSettingAsync(SigningKeySetting, candidate, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TokenIssuer(new SymmetricSecurityKey(Convert.FromBase64String(stored)) { KeyId = "local" });
    }

    public string Issue(Guid systemUserId, TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, systemUserId.ToString())]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? DefaultLifetime),
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.HmacSha256),
        });
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = SigningKey,
        ValidateIssuerSigningKey = true,
        ClockSkew = TimeSpan.FromMinutes(1),
        NameClaimType = JwtRegisteredClaimNames.Sub,
    };
}
