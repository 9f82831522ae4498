using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Server.Auth;

namespace ChannelAccounts.Server.Tests.Auth;

/// <summary>Validated local tokens are remembered with their caller until exp, never longer, and never without bound.</summary>
public sealed class KnownBearerTokensTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_remembered_token_answers_with_its_caller_until_it_expires()
    {
        var time = new ManualTime(Start);
        var known = new KnownBearerTokens(time);
        var caller = CallerIdentity.User(Guid.NewGuid());
        known.Remember("token-a", caller, Start.AddMinutes(30));

        Assert.True(known.TryGet("token-a", out var found));
        Assert.Same(caller, found);
        Assert.False(known.TryGet("token-b", out _));

        time.Now = Start.AddMinutes(30);
        Assert.False(known.TryGet("token-a", out _));
        Assert.Equal(0, known.Count); // forgotten, so the next use validates it again and is refused
    }

    [Fact]
    public void A_token_already_expired_is_not_remembered()
    {
        var known = new KnownBearerTokens(new ManualTime(Start));

        known.Remember("late", CallerIdentity.User(Guid.NewGuid()), Start.AddSeconds(-1));

        Assert.False(known.TryGet("late", out _));
        Assert.Equal(0, known.Count);
    }

    [Fact]
    public void Many_distinct_tokens_never_grow_it_past_its_bound()
    {
        var known = new KnownBearerTokens(new ManualTime(Start));

        for (var i = 0; i < KnownBearerTokens.MaxEntries + 10; i++)
        {
            known.Remember($"token-{i}", CallerIdentity.User(Guid.NewGuid()), Start.AddHours(1));
        }

        Assert.InRange(known.Count, 1, KnownBearerTokens.MaxEntries);
        Assert.True(known.TryGet($"token-{KnownBearerTokens.MaxEntries + 9}", out _));
    }

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
