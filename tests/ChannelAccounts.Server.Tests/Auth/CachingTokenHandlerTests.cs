using System.Security.Claims;
using System.Security.Cryptography;
using ChannelAccounts.Server.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChannelAccounts.Server.Tests.Auth;

/// <summary>The token cache remembers successes only, until exp, and gives every request its own identity.</summary>
public sealed class CachingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = TokenIssuer.Issuer,
        ValidAudience = TokenIssuer.Audience,
        IssuerSigningKey = Key,
        ValidateIssuerSigningKey = true,
        ClockSkew = TimeSpan.Zero,
    };

    private static string Token(SecurityKey key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TokenIssuer.Issuer,
        Audience = TokenIssuer.Audience,
        Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, Guid.NewGuid().ToString())]),
        IssuedAt = expires.AddHours(-1),
        NotBefore = expires.AddHours(-1),
        Expires = expires,
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task A_valid_token_validates_again_from_the_cache_with_its_own_identity()
    {
        var handler = new CachingTokenHandler();
        var token = Token(Key, DateTime.UtcNow.AddHours(1));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)!.Value, second.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)!.Value);
    }

    [Fact]
    public async Task Expired_and_foreign_tokens_are_refused_every_time()
    {
        var handler = new CachingTokenHandler();
        await handler.ValidateTokenAsync(Token(Key, DateTime.UtcNow.AddHours(1)), Parameters);
        var expired = Token(Key, DateTime.UtcNow.AddMinutes(-5));
        var foreign = Token(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), DateTime.UtcNow.AddHours(1));

        for (var i = 0; i < 2; i++)
        {
            Assert.False((await handler.ValidateTokenAsync(expired, Parameters)).IsValid);
            Assert.False((await handler.ValidateTokenAsync(foreign, Parameters)).IsValid);
        }
    }

    [Fact]
    public async Task A_cached_token_is_not_accepted_after_its_expiry()
    {
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var handler = new CachingTokenHandler(time);
        var token = Token(Key, DateTime.UtcNow.AddMinutes(30));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters)).IsValid);

        // Past exp the cache entry is dropped; validation falls to the real handler, which checks exp itself.
        time.Now = DateTimeOffset.UtcNow.AddHours(2);
        var strict = Parameters.Clone();
        strict.LifetimeValidator = (_, expires, _, _) => expires > time.Now.UtcDateTime;

        Assert.False((await handler.ValidateTokenAsync(token, strict)).IsValid);
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
