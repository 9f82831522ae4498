using System.Collections.Concurrent;
using ChannelAccounts.Engine.Pipeline;

namespace ChannelAccounts.Server.Auth;

/// <summary>
/// Local bearer tokens already validated, with the caller each names, kept until the token expires. A client
/// sends the same token on every request; validating it and mapping its claims through ASP.NET Core's
/// authentication cost as much as the rest of a Retrieve. Sound because a local token's validation depends only on
/// the server's fixed key, issuer and audience and on its exp, and its caller only on its `sub`; failures are never
/// kept. Whether that user may act is still decided from live data by every message (a disabled user is refused).
/// </summary>
public sealed class KnownBearerTokens
{
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, KnownToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KnownToken>.AlternateLookup<ReadOnlySpan<char>> _byText;
    private readonly TimeProvider _time;

    public KnownBearerTokens(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _byText = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _tokens.Count;

    /// <summary>The caller of a token remembered and not yet expired.</summary>
    public bool TryGet(ReadOnlySpan<char> token, out CallerIdentity caller)
    {
        if (_byText.TryGetValue(token, out var known))
        {
            if (known.ValidTo > _time.GetUtcNow())
            {
                caller = known.Caller;
                return true;
            }

            _byText.TryRemove(token, out _);
        }

        caller = default!;
        return false;
    }

    /// <summary>Remembers a token that was just validated, until its exp (without the clock skew validation allows: never accepted longer than uncached).</summary>
    public void Remember(string token, CallerIdentity caller, DateTimeOffset validTo)
    {
        if (validTo <= _time.GetUtcNow())
        {
            return;
        }

        if (_tokens.Count >= MaxEntries)
        {
            // A bound, not an eviction policy: a burst of distinct tokens costs a revalidation each, never memory.
            _tokens.Clear();
        }

        _tokens[token] = new KnownToken(caller, validTo);
    }

    private sealed record KnownToken(CallerIdentity Caller, DateTimeOffset ValidTo);
}
