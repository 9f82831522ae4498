using System.Security.Claims;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChannelAccounts.Server.Auth;

/// <summary>
/// The engine's caller for an authenticated principal. A local token names the systemuser in `sub`; an external
/// one names a user by `oid` (systemuser.azureactivedirectoryobjectid) or an application user by `appid`/`azp`
/// (systemuser.applicationid), looked up in the database on each request.
/// </summary>
public sealed class CallerResolver(OrganizationEngine engine)
{
    public async ValueTask<CallerIdentity> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var issuer = principal.FindFirst(JwtRegisteredClaimNames.Iss)?.Value;
        if (issuer is null || issuer == TokenIssuer.Issuer)
        {
            return CallerClaims.ToCaller(principal)
                ?? throw new OrganizationServiceFaultException(ErrorCodes.Unauthorized, "The bearer token names no systemuser.");
        }

        if (principal.FindFirst("oid")?.Value is { } oid)
        {
            return await FindAsync("azureactivedirectoryobjectid", oid, cancellationToken)
                ?? throw Unknown($"No systemuser of this organization has azureactivedirectoryobjectid {oid} (the token's oid claim).");
        }

        if ((principal.FindFirst("appid") ?? principal.FindFirst("azp"))?.Value is { } appId)
        {
            return await FindAsync("applicationid", appId, cancellationToken)
                ?? throw Unknown($"No application user of this organization has applicationid {appId} (the token's appid/azp claim).");
        }

        throw Unknown("The external bearer token has neither an oid claim (a user) nor an appid/azp claim (an application user).");
    }

    private async ValueTask<CallerIdentity?> FindAsync(string column, string value, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(value, out var id))
        {
            return null;
        }

        return await SystemUserLookup.FindAsync(engine.Store, column, id, cancellationToken) is { } user ? CallerIdentity.User(user) : null;
    }

    private static OrganizationServiceFaultException Unknown(string message) => new(ErrorCodes.Unauthorized, message);
}
