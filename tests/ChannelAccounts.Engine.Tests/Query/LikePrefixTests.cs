using ChannelAccounts.Engine.Query;

namespace ChannelAccounts.Engine.Tests.Query;

public sealed class LikePrefixTests
{
    [Theory]
    [InlineData("Acme 12%", "acme 12", "acme 13")]
    [InlineData("abc", "abc", "abd")]
    [InlineData("ab_d%", "ab", "ac")]
    [InlineData("Z%", "z", "{")]
    [InlineData("a\\%b", "a", "b")]
    public void A_literal_ascii_prefix_gives_the_folded_range(string pattern, string from, string to)
    {
        var range = LikePrefix.Range(pattern);
        Assert.Equal(new LikePrefix.PrefixRange(from, to), range);
    }

    [Theory]
    [InlineData("%abc")]
    [InlineData("_bc%")]
    [InlineData("Äbc%")]
    [InlineData("")]
    public void No_range_without_an_ascii_literal_prefix(string pattern) => Assert.Null(LikePrefix.Range(pattern));
}
