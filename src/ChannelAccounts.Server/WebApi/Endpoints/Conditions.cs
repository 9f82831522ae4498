using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>If-Match / If-None-Match as Dataverse reads them; the literal "null" some clients send means no condition.</summary>
public sealed record Conditions(bool IfMatchAny, string? IfMatchVersion, bool IfNoneMatchAny)
{
    public static Conditions From(HttpRequest request)
    {
        var ifMatch = request.Headers.IfMatch.ToString().Trim();
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString().Trim();
        if (ifMatch.Length == 0 && request.Headers.ContainsKey("If-Match"))
        {
            // Present but empty is a client bug; reading it as "no condition" would write without the check asked for.
            throw WebApiException.BadRequest("The If-Match header is empty; use the @odata.etag of the record, such as W/\"12345\", or *, or leave the header out.");
        }

        string? version = null;
        if (ifMatch.Length > 0 && ifMatch != "*" && ifMatch != "null")
        {
            version = ParseETag(ifMatch) ?? throw WebApiException.BadRequest(
                $"The If-Match header value '{ifMatch}' is not an ETag; use the @odata.etag of the record, such as W/\"12345\", or *.");
        }

        return new Conditions(ifMatch == "*", version, ifNoneMatch == "*");
    }

    /// <summary>IfRowVersionMatches when If-Match names a version (RowVersion then carries it), Default otherwise.</summary>
    public ConcurrencyBehavior Behavior => IfMatchVersion is null ? ConcurrencyBehavior.Default : ConcurrencyBehavior.IfRowVersionMatches;

    /// <summary>
    /// For a request that can only change an existing record (DELETE of it, PUT or DELETE of one of its properties or
    /// lookup references): If-None-Match: * asks that the record not exist, so it fails with 412 once the record is
    /// found (a missing record stays 404), and nothing is changed.
    /// </summary>
    public async Task RequireNoneMatchAllowsChangeAsync(WebApiContext api, EntityDefinition entity, Guid id)
    {
        if (!IfNoneMatchAny)
        {
            return;
        }

        await api.ExecuteAsync(new RetrieveRequest
        {
            Target = new EntityReference(entity.LogicalName, id),
            ColumnSet = new ColumnSet(entity.PrimaryIdAttribute),
        });
        throw new WebApiException(StatusCodes.Status412PreconditionFailed, ErrorCodes.DuplicateRecord,
            "If-None-Match: * asks that the record not exist, and it exists, so nothing was changed; leave the header out to change it.");
    }

    private static string? ParseETag(string value)
    {
        var text = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        return text.Length > 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1] : null;
    }
}
