using System.Text.RegularExpressions;
using ChannelAccounts.Engine.Query;

namespace ChannelAccounts.Engine.Tests.Query;

public sealed class TransactSqlLikeTests
{
    [Theory]
    [InlineData("Acme%", "Acme%")]
    [InlineData("a_b", "a_b")]
    [InlineData("a\\b", "a\\\\b")]
    [InlineData("ends\\", "ends\\\\")]
    [InlineData("a[_]b", "a\\_b")]
    [InlineData("100[%]", "100\\%")]
    [InlineData("[[]x", "[x")]
    public void Without_a_class_the_pattern_becomes_LIKE_with_backslash_escapes_for_literal_wildcards_and_backslashes(string pattern, string like)
    {
        var parsed = TransactSqlLike.Parse(pattern);

        Assert.False(parsed.NeedsRegex);
        Assert.Equal(like, parsed.ToLikePattern());
    }

    [Theory]
    [InlineData("a%b_", false)]
    [InlineData("a[_]b", false)]
    [InlineData("[ab]", true)]
    [InlineData("[a-b]", true)]
    [InlineData("[^a]", true)]
    [InlineData("a[b", true)]
    public void Only_a_class_of_several_characters_a_range_a_negation_or_an_open_bracket_needs_a_regular_expression(string pattern, bool needs) =>
        Assert.Equal(needs, TransactSqlLike.Parse(pattern).NeedsRegex);

    [Theory]
    [InlineData("[bd]c", "Bc", true)]
    [InlineData("[bd]c", "cc", false)]
    [InlineData("[a-c]%", "C major", true)]
    [InlineData("[^a-c]%", "C major", false)]
    [InlineData("[^a-c]%", "d", true)]
    [InlineData("%[0-9]", "room 7", true)]
    [InlineData("a[-x]b", "a-b", true)]
    [InlineData("a[x-]b", "a-b", true)]
    [InlineData("[.*+?]", ".", true)]
    [InlineData("[.*+?]", "a", false)]
    [InlineData("x[\\]y", "x\\y", true)]
    [InlineData("%[(]%", "f(x)", true)]
    [InlineData("a[z-a]", "az", false)]
    [InlineData("a[b", "a[b", false)]
    [InlineData("[^]", "q", true)]
    [InlineData("é[è]", "ÉÈ", true)]
    [InlineData("a%[b]", "a\nb", true)]
    [InlineData("a[_\\]%", "a_x", true)]
    [InlineData("[~!@#$^&*()=+{}|;:'\",<.>/?`]", "`", true)]
    public void A_pattern_with_a_class_becomes_a_whole_value_regular_expression_matched_ignoring_case(string pattern, string value, bool matches)
    {
        var parsed = TransactSqlLike.Parse(pattern);

        Assert.Equal(matches, Regex.IsMatch(value, parsed.ToRegex(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
    }

    [Theory]
    [InlineData("Acme 12%", "Acme 12", true)]
    [InlineData("Acme[_]12%", "Acme_12", true)]
    [InlineData("Acme%12", "Acme", false)]
    [InlineData("%x", "", false)]
    [InlineData("[ab]%", "", false)]
    public void The_literal_prefix_ends_at_the_first_wildcard_or_class(string pattern, string prefix, bool prefixOnly)
    {
        var parsed = TransactSqlLike.Parse(pattern);

        Assert.Equal(prefix, parsed.LiteralPrefix);
        Assert.Equal(prefixOnly, parsed.IsPrefixOnly);
    }
}
