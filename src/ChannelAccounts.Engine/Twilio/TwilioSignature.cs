using System.Security.Cryptography;
using System.Text;

namespace ChannelAccounts.Engine.Twilio;

/// <summary>
/// Twilio's X-Twilio-Signature (research note §1): HMAC-SHA1, keyed with the account's auth token, over the URL Twilio
/// called followed by every POST parameter as name+value in ordinal order of names; Base64. Our own code, after the
/// official helpers: a URL is accepted without its port and with its scheme's default port, because Twilio's own
/// back end signs either form; the comparison runs in constant time.
/// </summary>
public static class TwilioSignature
{
    /// <summary>The query parameter Twilio adds to a JSON webhook: lower-case hex SHA-256 of the raw body.</summary>
    public const string BodySha256Parameter = "bodySHA256";

    /// <summary>The signature of one URL (used as given) and parameters.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(parameters);
        var data = new StringBuilder(url);
        // A repeated name contributes each of its values, sorted (and, as the Node helper does, once each).
        foreach (var group in parameters.GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var value in group.Select(p => p.Value ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                data.Append(group.Key).Append(value);
            }
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>Whether the header signs a form-encoded request to the URL (in either port form) with these parameters.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string?>> parameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }

        var list = parameters.ToList();
        var given = Encoding.UTF8.GetBytes(signature);
        var valid = false;
        foreach (var variant in SignedUrl.PortVariants(url))
        {
            // No early exit: every variant is computed, so timing says nothing about which one matched.
            valid |= CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Compute(authToken, variant, list)), given);
        }

        return valid;
    }

    /// <summary>
    /// The JSON-body form: the URL carries bodySHA256, the signature covers the URL alone (no parameters), and the
    /// raw body must hash to bodySHA256. Both must hold.
    /// </summary>
    public static bool IsValidWithBody(string authToken, string url, ReadOnlySpan<byte> rawBody, string? signature)
    {
        var expected = SignedUrl.QueryValue(url, BodySha256Parameter);
        if (expected is null)
        {
            return false;
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(rawBody));
        var bodyMatches = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actual), Encoding.UTF8.GetBytes(expected.ToLowerInvariant()));
        return IsValid(authToken, url, [], signature) & bodyMatches;
    }
}
