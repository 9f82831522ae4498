using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.Auth;

/// <summary>
/// Dataverse's impersonation headers: CallerObjectId (the Entra object id of the user to act as) or the legacy
/// MSCRMCallerID (its systemuserid). Whether the real caller may do it is the engine's decision
/// (prvActOnBehalfOfAnotherUser); this only names who to act as.
/// </summary>
public static class Impersonation
{
    public const string CallerObjectIdHeader = "CallerObjectId";
    public const string CallerIdHeader = "MSCRMCallerID";

    public static async Task<CallerIdentity> ApplyAsync(HttpRequest request, CallerIdentity caller, IDataStore store, CancellationToken cancellationToken)
    {
        var objectId = request.Headers[CallerObjectIdHeader].ToString().Trim();
        var userId = request.Headers[CallerIdHeader].ToString().Trim();
        if (objectId.Length > 0)
        {
            var oid = Guid.TryParse(objectId, out var parsed) ? parsed : throw WebApiException.BadRequest($"The {CallerObjectIdHeader} header must be a GUID, not '{objectId}'.");
            // An unknown object id is the engine's to report, once it knows the caller may impersonate at all.
            return await SystemUserLookup.FindAsync(store, "azureactivedirectoryobjectid", oid, cancellationToken) is { } user
                ? caller with { UserId = user }
                : CallerIdentity.UnknownObjectId(caller.RealUserId, oid);
        }

        if (userId.Length > 0)
        {
            return Guid.TryParse(userId, out var id)
                ? caller with { UserId = id }
                : throw WebApiException.BadRequest($"The {CallerIdHeader} header must be a systemuserid (GUID), not '{userId}'.");
        }

        return caller;
    }

}
