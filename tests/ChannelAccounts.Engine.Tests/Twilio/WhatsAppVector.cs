namespace ChannelAccounts.Engine.Tests.Twilio;

/// <summary>The research note's self-generated WhatsApp request (§1.4): a form Twilio would post for "Olá, preciso de ajuda 😀".</summary>
public static class WhatsAppVector
{
    public const string Token = "0123456789abcdef0123456789abcdef";
    public const string Url = "https://contoso.example/api/whatsapp/twilio/inbound?channel=wa1";

    /// <summary>SM followed by 32 ones.</summary>
    public const string Sid = "SM11111111111111111111111111111111";

    public const string AccountSid = "AC00000000000000000000000000000000";

    /// <summary>The body as sent on the wire (form-encoded).</summary>
    public static readonly string EncodedBody =
        $"SmsMessageSid={Sid}&NumMedia=0&ProfileName=Ana+Lima&MessageType=text&SmsSid={Sid}&WaId=5511999998888&SmsStatus=received" +
        "&Body=Ol%C3%A1%2C+preciso+de+ajuda+%F0%9F%98%80&To=whatsapp%3A%2B14155238886&NumSegments=1&ReferralNumMedia=0" +
        $"&MessageSid={Sid}&AccountSid={AccountSid}&From=whatsapp%3A%2B5511999998888&ApiVersion=2010-04-01";


    public static (string Token, string Url, IReadOnlyList<KeyValuePair<string, string?>> Form) Request() =>
        (Token, Url, EncodedBody.Split('&').Select(pair =>
        {
            var parts = pair.Split('=', 2);
            return new KeyValuePair<string, string?>(Decode(parts[0]), Decode(parts[1]));
        }).ToList());

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
