using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Twilio;

/// <summary>
/// The ca_whatsappmessage row a webhook request stands for, and how a later request for the same account and MessageSid updates
/// it: content fills columns still empty (a status callback may come first), the status only ever advances.
/// </summary>
internal static class WhatsAppMessageRows
{
    public const string MessageSid = "ca_messagesid";
    public const string Account = "ca_whatsappaccountid";
    public const string Status = "ca_messagestatus";
    public const string ErrorCode = "ca_errorcode";

    /// <summary>Columns a first request may leave empty and a later one fill.</summary>
    private static readonly string[] ContentColumns = ["ca_from", "ca_to", "ca_waid", "ca_profilename", "ca_body", "ca_nummedia", "ca_mediaurls"];

    /// <summary>What a merge reads of the stored row.</summary>
    public static readonly string[] MergeColumns = [Account, Status, ErrorCode, .. ContentColumns];

    /// <summary>Twilio sends at most 10 media per message; more lines would only be noise.</summary>
    private const int MaxMedia = 10;

    /// <summary>
    /// The record id of an account's MessageSid: a name-based GUID (SHA-256, version 5 layout), so every delivery of one
    /// message to one account names the same row and a retry conflicts on the primary key as well as on the
    /// (account, MessageSid) key. The account is part of it: a MessageSid is Twilio's, and another account's inbound
    /// URL may be posted the same one (rows stored before keep their MessageSid-only ids and are found by the key).
    /// </summary>
    public static Guid IdOf(Guid accountId, string messageSid)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"ca_whatsappmessage:{accountId:D}:{messageSid.ToLowerInvariant()}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>A status callback carries MessageStatus; an inbound message does not (it has SmsStatus=received).</summary>
    public static bool IsStatusCallback(TwilioWebhookRequest request) => request["MessageStatus"] is not null;

    public static StoredRow Build(EntityDefinition table, Guid accountId, string messageSid, TwilioWebhookRequest request, DateTime now)
    {
        var status = IsStatusCallback(request) ? request["MessageStatus"] : request["SmsStatus"] ?? "received";
        var row = new StoredRow(20)
        {
            [table.PrimaryIdAttribute] = IdOf(accountId, messageSid),
            [MessageSid] = messageSid,
            [Account] = accountId,
            ["ca_from"] = Text(table, "ca_from", request["From"]),
            ["ca_to"] = Text(table, "ca_to", request["To"]),
            ["ca_waid"] = Text(table, "ca_waid", request["WaId"]),
            ["ca_profilename"] = Text(table, "ca_profilename", request["ProfileName"]),
            ["ca_body"] = Text(table, "ca_body", request["Body"]),
            ["ca_nummedia"] = Number(request["NumMedia"]) is >= 0 and var media ? media : null,
            ["ca_mediaurls"] = Text(table, "ca_mediaurls", MediaLines(request)),
            ["ca_receivedon"] = now,
            [Status] = Text(table, Status, status?.ToLowerInvariant()),
            [ErrorCode] = Number(request["ErrorCode"]),
            ["createdon"] = now,
            ["modifiedon"] = now,
        };
        return row;
    }

    /// <summary>The changes that bring the stored row up to date with an incoming one; empty when there is nothing new.</summary>
    public static StoredRow Merge(StoredRow current, StoredRow incoming)
    {
        var changes = new StoredRow();
        foreach (var column in ContentColumns)
        {
            if (current[column] is null && incoming[column] is not null)
            {
                changes[column] = incoming[column];
            }
        }

        if (MessageStatusOrder.Advances(current[Status] as string, incoming[Status] as string))
        {
            changes[Status] = incoming[Status];
            changes[ErrorCode] = incoming[ErrorCode];
        }

        return changes;
    }

    /// <summary>"contentType url" per media, one a line, for MediaUrl0..MediaUrl{NumMedia-1}.</summary>
    private static string? MediaLines(TwilioWebhookRequest request)
    {
        var count = Math.Clamp(Number(request["NumMedia"]) ?? 0, 0, MaxMedia); // a negative count means no media
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            if (request[$"MediaUrl{i}"] is { Length: > 0 } url)
            {
                lines.Add($"{request[$"MediaContentType{i}"]} {url}".Trim());
            }
        }

        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    private static int? Number(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Twilio's values are stored as sent, cut to the column's length rather than refused (a webhook cannot be corrected).</summary>
    /// <summary>
    /// The value as both databases can store it, cut to the column's length: Twilio's fields are stored as sent, but a
    /// NUL (which PostgreSQL's text cannot hold) is dropped, a lone surrogate (not UTF-8) becomes U+FFFD, and a cut
    /// never splits a surrogate pair. The webhook must not fail on them: Twilio would retry the message forever.
    /// </summary>
    internal static string? Text(EntityDefinition table, string column, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.AsSpan().IndexOfAnyInRange('\ud800', '\udfff') >= 0 || value.Contains('\0'))
        {
            var text = new StringBuilder(value.Length);
            foreach (var rune in value.EnumerateRunes()) // a lone surrogate enumerates as U+FFFD
            {
                if (rune.Value != 0)
                {
                    text.Append(rune.ToString());
                }
            }

            value = text.ToString();
        }

        if (table.Attribute(column).MaxLength is not { } max || value.Length <= max)
        {
            return value.Length == 0 ? null : value;
        }

        return value[..(char.IsHighSurrogate(value[max - 1]) ? max - 1 : max)];
    }
}
