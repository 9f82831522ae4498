using System.Text.RegularExpressions;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Twilio;

/// <summary>
/// Twilio's posts to an account's inbound URL. Twilio sends no bearer token: the X-Twilio-Signature, made with the
/// account's auth token over the URL stored in msdyn_twilioinboundurl, is the authentication, and the form's AccountSid
/// must be the account's. Anything else (unknown or inactive account, no URL or token stored, a bad signature) is
/// refused with nothing stored. A message is stored once per account and MessageSid however often Twilio retries; a status
/// callback updates it (or creates it when it comes first), keeping the most advanced status.
/// </summary>
public sealed partial class TwilioWebhook(OrganizationEngine engine)
{
    private static readonly string[] AccountColumns =
        [TwilioAccountColumns.InboundUrl, TwilioAccountColumns.AuthToken, TwilioAccountColumns.AccountSid, "statecode"];

    public async Task<TwilioWebhookResult> ReceiveAsync(Guid accountId, TwilioWebhookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var refusal = await AuthenticateAsync(accountId, request, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (request["MessageSid"] is not { } messageSid || !MessageSidPattern().IsMatch(messageSid))
        {
            return new TwilioWebhookResult(TwilioWebhookOutcome.Invalid, "The request is signed but has no valid MessageSid (two letters and 32 hex characters).");
        }

        return await StoreAsync(accountId, messageSid, request, cancellationToken);
    }

    /// <summary>Null when the request is Twilio's for this account; else the refusal, with a reason for the log.</summary>
    private async Task<TwilioWebhookResult?> AuthenticateAsync(Guid accountId, TwilioWebhookRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Signature))
        {
            return TwilioWebhookResult.Refused("no X-Twilio-Signature header");
        }

        StoredRow? account;
        await using (var read = await engine.Store.BeginAsync(TransactionMode.Read, cancellationToken))
        {
            account = await read.RetrieveAsync(engine.Catalog[MetadataCatalog.WhatsAppAccount], accountId, AccountColumns, cancellationToken);
        }

        if (account is null)
        {
            return TwilioWebhookResult.Refused("no such account");
        }

        if (account["statecode"] is not 0)
        {
            return TwilioWebhookResult.Refused("the account is inactive");
        }

        if (account[TwilioAccountColumns.InboundUrl] is not string url || account[TwilioAccountColumns.AuthToken] is not string sealedToken)
        {
            return TwilioWebhookResult.Refused("the account has no inbound URL or no auth token");
        }

        var token = engine.Secrets.Unprotect(sealedToken);
        var signed = request.JsonBody is { } body
            ? request.BodySha256 is { } hash && TwilioSignature.IsValidWithBody(token, SignedUrl.AppendQuery(url, TwilioSignature.BodySha256Parameter, hash), body, request.Signature)
            : TwilioSignature.IsValid(token, url, request.Parameters, request.Signature);
        if (!signed)
        {
            return TwilioWebhookResult.Refused("the signature does not match the account's inbound URL and auth token");
        }

        // SIDs are hexadecimal: an admin may have typed the SID in upper case, Twilio sends lower case.
        if (!string.Equals(request["AccountSid"], account[TwilioAccountColumns.AccountSid] as string, StringComparison.OrdinalIgnoreCase))
        {
            return TwilioWebhookResult.Refused("the AccountSid of the request is not the account's");
        }

        return null;
    }

    private async Task<TwilioWebhookResult> StoreAsync(Guid accountId, string messageSid, TwilioWebhookRequest request, CancellationToken cancellationToken)
    {
        var table = engine.Catalog[MetadataCatalog.WhatsAppMessage];
        var now = OwnerTypes.ToStoredDateTime(engine.Time.GetUtcNow().UtcDateTime);
        var row = WhatsAppMessageRows.Build(table, accountId, messageSid, request, now);

        await using var transaction = await engine.Store.BeginAsync(TransactionMode.Write, cancellationToken);
        row["versionnumber"] = await transaction.NextVersionAsync(cancellationToken);
        string outcome;
        if (await transaction.TryInsertAsync(table, row, cancellationToken))
        {
            outcome = "stored";
        }
        else
        {
            // Another delivery to this account stored it first (that transaction has committed: ON CONFLICT waited for it).
            var id = await StoredIdAsync(transaction, table, accountId, messageSid, cancellationToken);
            var current = id is null ? null : await transaction.RetrieveForUpdateAsync(table, id.Value, WhatsAppMessageRows.MergeColumns, cancellationToken);
            if (current is null)
            {
                throw new InvalidOperationException($"The message {messageSid} of account {accountId} was neither stored nor there already.");
            }

            var changes = WhatsAppMessageRows.Merge(current, row);
            if (changes.Count == 0)
            {
                return new TwilioWebhookResult(TwilioWebhookOutcome.Stored, "already stored");
            }

            changes["modifiedon"] = now;
            changes["versionnumber"] = await transaction.NextVersionAsync(cancellationToken);
            await transaction.UpdateAsync(table, id!.Value, changes, cancellationToken);
            outcome = "updated";
        }

        // The account may have been deleted since it was read: its messages went with it, so this one must not stay.
        if (await transaction.RetrieveAsync(engine.Catalog[MetadataCatalog.WhatsAppAccount], accountId, [], cancellationToken) is null)
        {
            return TwilioWebhookResult.Refused("the account was deleted meanwhile");
        }

        await transaction.CommitAsync(cancellationToken);
        return new TwilioWebhookResult(TwilioWebhookOutcome.Stored, outcome);
    }

    /// <summary>
    /// The id of the account's row for the MessageSid, found by the (account, MessageSid) key rather than computed:
    /// rows stored before the account was part of the id have ids of the MessageSid alone.
    /// </summary>
    private static async ValueTask<Guid?> StoredIdAsync(IStoreTransaction transaction, EntityDefinition table, Guid accountId, string messageSid,
        CancellationToken cancellationToken)
    {
        var query = new QueryExpression(table.LogicalName) { ColumnSet = new ColumnSet(table.PrimaryIdAttribute), TopCount = 1 };
        query.Criteria.AddCondition(WhatsAppMessageRows.Account, ConditionOperator.Equal, accountId);
        query.Criteria.AddCondition(WhatsAppMessageRows.MessageSid, ConditionOperator.Equal, messageSid);
        var page = await transaction.QueryAsync(query, new QueryContext(Guid.Empty, Guid.Empty, DateTime.UtcNow), cancellationToken);
        return page.Rows.Count == 0 ? null : (Guid?)page.Rows[0][table.PrimaryIdAttribute];
    }

    [GeneratedRegex("^[A-Z]{2}[0-9a-fA-F]{32}$")]
    private static partial Regex MessageSidPattern();
}
