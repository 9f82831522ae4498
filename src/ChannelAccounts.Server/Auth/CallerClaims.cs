using System.Security.Claims;
using ChannelAccounts.Engine.Pipeline;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChannelAccounts.Server.Auth;

/// <summary>Maps an authenticated principal to the engine's caller.</summary>
public static class CallerClaims
{
    public static CallerIdentity? ToCaller(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? principal.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        return Guid.TryParse(subject, out var userId) ? CallerIdentity.User(userId) : null;
    }
}
