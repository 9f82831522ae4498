using System.Text.RegularExpressions;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Twilio;

/// <summary>
/// The Twilio columns of a WhatsApp account: the Account SID must be one (research §5), and the inbound URL is the
/// exact address Twilio posts to, generated from the server's public address when a create leaves it empty.
/// </summary>
public static partial class TwilioAccountColumns
{
    public const string AccountSid = "msdyn_provideraccountid";
    public const string InboundUrl = "msdyn_twilioinboundurl";
    public const string AuthToken = "msdyn_authenticationtoken";

    /// <summary>The inbound URL of an account: the path the webhook serves, under the server's public address.</summary>
    public static string InboundUrlFor(Uri publicBaseUrl, Guid accountId)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        return publicBaseUrl.AbsoluteUri.TrimEnd('/') + $"/twilio/whatsapp/{accountId:D}/inbound";
    }

    /// <summary>A create: the inbound URL is generated unless one is given (then kept verbatim), then both columns are checked.</summary>
    public static void PrepareCreate(EntityDefinition entity, Guid id, StoredRow row, Uri? publicBaseUrl)
    {
        if (entity.LogicalName != MetadataCatalog.WhatsAppAccount)
        {
            return;
        }

        if (publicBaseUrl is not null && (!row.TryGetValue(InboundUrl, out var given) || given is null))
        {
            row[InboundUrl] = InboundUrlFor(publicBaseUrl, id);
        }

        Validate(entity, row);
    }

    /// <summary>The Twilio columns a create or an update sets (storage values; null clears a column and is allowed).</summary>
    public static void Validate(EntityDefinition entity, StoredRow row)
    {
        if (entity.LogicalName != MetadataCatalog.WhatsAppAccount)
        {
            return;
        }

        if (row.TryGetValue(AccountSid, out var sid) && sid is string accountSid && !IsAccountSid(accountSid))
        {
            throw DataverseFault.InvalidArgument(
                $"A validation error occurred. '{AccountSid}' (Account SID) must be a Twilio Account SID: 'AC' followed by 32 hexadecimal " +
                "characters, 34 in all, as the Twilio Console shows it (e.g. AC0123456789abcdef0123456789abcdef).");
        }

        if (row.TryGetValue(InboundUrl, out var url) && url is string inboundUrl && !IsWebhookUrl(inboundUrl))
        {
            throw DataverseFault.InvalidArgument(
                $"A validation error occurred. '{InboundUrl}' (Twilio inbound URL) must be an absolute http or https URL of at most 500 " +
                "characters: the exact address Twilio posts to (e.g. https://wa.contoso.com/twilio/whatsapp/{accountid}/inbound). " +
                "Leave it out on create and the server generates it.");
        }
    }

    public static bool IsAccountSid(string value) => AccountSidPattern().IsMatch(value);

    /// <summary>An absolute http(s) URL with a host, at most 500 characters (the column's length).</summary>
    public static bool IsWebhookUrl(string value) =>
        value.Length <= 500
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.Host.Length > 0;

    [GeneratedRegex("^AC[0-9a-fA-F]{32}$")]
    private static partial Regex AccountSidPattern();
}
