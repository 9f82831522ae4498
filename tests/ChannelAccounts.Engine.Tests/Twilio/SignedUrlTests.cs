using ChannelAccounts.Engine.Twilio;

namespace ChannelAccounts.Engine.Tests.Twilio;

public sealed class SignedUrlTests
{
    [Theory]
    [InlineData("https://a.example/x?y=1", "https://a.example/x?y=1", "https://a.example:443/x?y=1")]
    [InlineData("http://a.example/x", "http://a.example/x", "http://a.example:80/x")]
    [InlineData("https://a.example:8443/x", "https://a.example/x", "https://a.example:8443/x")]
    [InlineData("https://u:p@A.Example/x", "https://u:p@A.Example/x", "https://u:p@A.Example:443/x")]
    [InlineData("https://a.example?q=1", "https://a.example?q=1", "https://a.example:443?q=1")]
    [InlineData("http://[::1]:5000/x", "http://[::1]/x", "http://[::1]:5000/x")]
    [InlineData("https://a.example/x#rc=2", "https://a.example/x", "https://a.example:443/x")]
    public void Port_variants_remove_the_port_and_add_the_default_one_keeping_every_other_character(string url, string withoutPort, string withPort) =>
        Assert.Equal([withoutPort, withPort], SignedUrl.PortVariants(url));

    [Fact]
    public void bodySHA256_is_appended_with_the_right_separator()
    {
        Assert.Equal("https://a.example/x?bodySHA256=ab", SignedUrl.AppendQuery("https://a.example/x", "bodySHA256", "ab"));
        Assert.Equal("https://a.example/x?c=1&bodySHA256=ab", SignedUrl.AppendQuery("https://a.example/x?c=1", "bodySHA256", "ab"));
    }

    [Fact]
    public void QueryValue_reads_the_last_value_as_written() =>
        Assert.Equal("2", SignedUrl.QueryValue("https://a.example/x?b=1&bodySHA256=1&bodySHA256=2", "bodySHA256"));
}
