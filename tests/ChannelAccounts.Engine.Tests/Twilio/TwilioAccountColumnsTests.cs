using ChannelAccounts.Engine.Twilio;

namespace ChannelAccounts.Engine.Tests.Twilio;

public sealed class TwilioAccountColumnsTests
{
    [Theory]
    [InlineData("AC0123456789abcdef0123456789abcdef", true)]
    [InlineData("AC9a805fb460119c9baabb9b726ce8fc90", true)]
    [InlineData("AC0123456789ABCDEF0123456789ABCDEF", true)]
    [InlineData("ac0123456789abcdef0123456789abcdef", false)]
    [InlineData("AC0123456789abcdef0123456789abcde", false)]
    [InlineData("AC0123456789abcdef0123456789abcdef0", false)]
    [InlineData("AC0123456789abcdef0123456789abcdeg", false)]
    [InlineData("SK0123456789abcdef0123456789abcdef", false)]
    [InlineData("AC1", false)]
    public void An_Account_SID_is_AC_and_32_hex_characters(string value, bool valid) =>
        Assert.Equal(valid, TwilioAccountColumns.IsAccountSid(value));

    [Theory]
    [InlineData("https://wa.contoso.com/twilio/whatsapp/1/inbound", true)]
    [InlineData("http://127.0.0.1:5000/x", true)]
    [InlineData("ftp://wa.contoso.com/x", false)]
    [InlineData("/twilio/whatsapp/1/inbound", false)]
    [InlineData("not a url", false)]
    public void An_inbound_url_is_an_absolute_http_or_https_url(string value, bool valid) =>
        Assert.Equal(valid, TwilioAccountColumns.IsWebhookUrl(value));

    [Fact]
    public void An_inbound_url_longer_than_500_characters_is_refused() =>
        Assert.False(TwilioAccountColumns.IsWebhookUrl("https://wa.contoso.com/" + new string('x', 478)));

    [Fact]
    public void The_generated_inbound_url_names_the_account_under_the_public_address()
    {
        var id = Guid.Parse("6f1b2c3d-0000-4000-8000-000000000001");
        Assert.Equal("https://wa.contoso.com/base/twilio/whatsapp/6f1b2c3d-0000-4000-8000-000000000001/inbound",
            TwilioAccountColumns.InboundUrlFor(new Uri("https://wa.contoso.com/base/"), id));
    }
}
