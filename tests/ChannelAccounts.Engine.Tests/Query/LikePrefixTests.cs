using ChannelAccounts.Engine.Query;

namespace ChannelAccounts.Engine.Tests.Query;

public sealed class LikePrefixTests
{
    [Theory]
    [InlineData("Acme 12%", "acme 12", "acme 13", true)]
    [InlineData("abc", "abc", "abd", false)]
    [InlineData("ab_d%", "ab", "ac", false)]
    [InlineData("Z%", "z", "{", true)]
    [InlineData("a\\%b", "a\\", "a]", false)]
    [InlineData("a[_]b%", "a_b", "a_c", true)]
    [InlineData("ab[cd]%", "ab", "ac", false)]
    [InlineData("a%b%", "a", "b", false)]
    public void A_literal_ascii_prefix_gives_the_folded_range_exact_only_for_a_startswith(string pattern, string from, string to, bool exact)
    {
        var range = LikePrefix.Range(TransactSqlLike.Parse(pattern));
        Assert.Equal(new LikePrefix.PrefixRange(from, to, exact), range);
    }

    [Theory]
    [InlineData("%abc")]
    [InlineData("_bc%")]
    [InlineData("Äbc%")]
    [InlineData("")]
    [InlineData("[ab]c%")]
    public void No_range_without_an_ascii_literal_prefix(string pattern) => Assert.Null(LikePrefix.Range(TransactSqlLike.Parse(pattern)));

    [Theory]
    [InlineData("Zü%", "zü", "zý", true)]
    [InlineData("ÄBC Ölen%", "Äbc Ölen", "Äbc Öleo", true)]
    [InlineData("Acme%x", "acme", "acmf", false)]
    [InlineData("User@%", "user@", "user[", true)]
    public void Where_only_ascii_letters_fold_any_literal_prefix_gives_a_range_folding_ascii_only(string pattern, string from, string to, bool exact) =>
        Assert.Equal(new LikePrefix.PrefixRange(from, to, exact), LikePrefix.Range(TransactSqlLike.Parse(pattern), foldsAsciiOnly: true));

    [Theory]
    [InlineData("a\ud7ff%")]
    [InlineData("😀%")]
    public void No_range_where_the_next_character_is_not_one_code_point(string pattern) => Assert.Null(LikePrefix.Range(TransactSqlLike.Parse(pattern), foldsAsciiOnly: true));
}
