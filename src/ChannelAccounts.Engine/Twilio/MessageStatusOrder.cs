using System.Collections.Frozen;

namespace ChannelAccounts.Engine.Twilio;

/// <summary>
/// How far along a message is, so status callbacks arriving in any order (Twilio does not guarantee one) leave the most
/// advanced status: a late "delivered" never replaces "read", and failed, undelivered and canceled are final.
/// </summary>
public static class MessageStatusOrder
{
    private static readonly FrozenDictionary<string, int> Ranks = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["accepted"] = 1,
        ["scheduled"] = 1,
        ["queued"] = 2,
        ["sending"] = 3,
        ["receiving"] = 3,
        ["sent"] = 4,
        ["received"] = 4,
        ["partially_delivered"] = 5,
        ["delivered"] = 6,
        ["read"] = 7,
        ["failed"] = 9,
        ["undelivered"] = 9,
        ["canceled"] = 9,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static bool IsFinal(string? status) => Rank(status) == 9;

    /// <summary>Whether the incoming status replaces the current one.</summary>
    public static bool Advances(string? current, string? incoming)
    {
        if (string.IsNullOrEmpty(incoming) || string.Equals(current, incoming, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // An unknown status (Twilio adds some) is kept only when nothing is known yet.
        return current is null || (!IsFinal(current) && Rank(incoming) > Rank(current));
    }

    private static int Rank(string? status) => status is not null && Ranks.TryGetValue(status, out var rank) ? rank : 0;
}
