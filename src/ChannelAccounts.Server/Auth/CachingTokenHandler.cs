using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChannelAccounts.Server.Auth;

/// <summary>
/// JsonWebTokenHandler with the validations of a token string remembered until the token expires: a client sends
/// the same token on every request, and checking its signature costs about as much as the rest of a Retrieve.
/// Sound because the validation parameters are fixed for the server's lifetime (one signing key, issuer and
/// audience) and a valid token stays valid until its exp; failures are never cached. Who the token names is still
/// checked against live data by every message (a disabled or deleted user is refused by the engine).
/// </summary>
public sealed class CachingTokenHandler : TokenHandler
{
    private const int MaxEntries = 10_000;

    private readonly JsonWebTokenHandler _inner = new() { MapInboundClaims = false };
    private readonly ConcurrentDictionary<string, TokenValidationResult> _valid = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public CachingTokenHandler(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (_valid.TryGetValue(token, out var cached))
        {
            if (cached.SecurityToken.ValidTo > now)
            {
                return Copy(cached);
            }

            _valid.TryRemove(token, out _);
        }

        var result = await _inner.ValidateTokenAsync(token, validationParameters);
        // Kept only until exp, without the clock skew validation allows: never accepted longer than uncached.
        if (result.IsValid && result.SecurityToken is { } securityToken && securityToken.ValidTo > now)
        {
            if (_valid.Count >= MaxEntries)
            {
                _valid.Clear();
            }
            _valid[token] = result;
            return Copy(result);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => _inner.ReadToken(token);

    /// <summary>Each request gets its own identity, so nothing one request does to its principal reaches another.</summary>
    private static TokenValidationResult Copy(TokenValidationResult result) => new()
    {
        IsValid = true,
        ClaimsIdentity = result.ClaimsIdentity.Clone(),
        SecurityToken = result.SecurityToken,
        Issuer = result.Issuer,
        TokenType = result.TokenType,
    };
}
