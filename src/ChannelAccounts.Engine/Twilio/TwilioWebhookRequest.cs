namespace ChannelAccounts.Engine.Twilio;

/// <summary>
/// One POST to an account's inbound URL, as read by the host: the parameters (form fields, or the top-level
/// properties of a JSON body), the X-Twilio-Signature header and, for a JSON body, its raw bytes and the bodySHA256
/// query value. The signature is checked against the account's stored URL, never against this request's own URL.
/// </summary>
public sealed record TwilioWebhookRequest
{
    public required IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; init; }

    public string? Signature { get; init; }

    /// <summary>The raw body of a JSON webhook (null for a form post).</summary>
    public byte[]? JsonBody { get; init; }

    /// <summary>The bodySHA256 query parameter of a JSON webhook.</summary>
    public string? BodySha256 { get; init; }

    /// <summary>The last value of a parameter, or null.</summary>
    public string? this[string name]
    {
        get
        {
            string? value = null;
            foreach (var (key, v) in Parameters)
            {
                if (string.Equals(key, name, StringComparison.Ordinal))
                {
                    value = v;
                }
            }

            return value;
        }
    }
}

/// <summary>What the webhook did: Stored (200), Refused (403, nothing stored) or Invalid (400: signed, but not a message).</summary>
public enum TwilioWebhookOutcome
{
    Stored,
    Refused,
    Invalid,
}

/// <summary>The outcome and, for the log, why (never the token or the signature).</summary>
public sealed record TwilioWebhookResult(TwilioWebhookOutcome Outcome, string Reason)
{
    public static TwilioWebhookResult Refused(string reason) => new(TwilioWebhookOutcome.Refused, reason);
}
