using ChannelAccounts.Engine.Pipeline;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;

namespace ChannelAccounts.Server.Auth;

/// <summary>
/// The caller of a Web API request, from its bearer token. A local token seen before is answered by
/// KnownBearerTokens; any other goes through ASP.NET Core authentication (the schemes of BearerSchemes) and
/// CallerResolver, and a request without a valid token is answered 401 by the scheme's challenge. The Web API
/// calls this itself instead of running the authentication and authorization middleware on every request.
/// </summary>
public sealed class RequestAuthenticator(CallerResolver callers, KnownBearerTokens known)
{
    private const string Scheme = "Bearer ";

    /// <summary>The caller, or null when the response is already the 401.</summary>
    public ValueTask<CallerIdentity?> AuthenticateAsync(HttpContext http)
    {
        var header = http.Request.Headers.Authorization;
        var value = header.Count == 1 ? header[0] : null;
        return IsBearer(value) && known.TryGet(TokenOf(value!), out var remembered)
            ? ValueTask.FromResult<CallerIdentity?>(remembered)
            : ValidateAsync(http, IsBearer(value) ? value : null);
    }

    private async ValueTask<CallerIdentity?> ValidateAsync(HttpContext http, string? bearerHeader)
    {
        var result = await http.AuthenticateAsync(BearerSchemes.Select);
        if (!result.Succeeded)
        {
            await http.ChallengeAsync(BearerSchemes.Select);
            return null;
        }

        var principal = result.Principal;
        var caller = await callers.ResolveAsync(principal, http.RequestAborted);
        if (bearerHeader is not null && principal.FindFirst(JwtRegisteredClaimNames.Iss)?.Value == TokenIssuer.Issuer
            && long.TryParse(principal.FindFirst(JwtRegisteredClaimNames.Exp)?.Value, out var exp))
        {
            known.Remember(TokenOf(bearerHeader).ToString(), caller, DateTimeOffset.FromUnixTimeSeconds(exp));
        }

        return caller;
    }

    // "Bearer TOKEN", the scheme case-insensitive, as JwtBearer reads it.
    private static bool IsBearer(string? header) => header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    private static ReadOnlySpan<char> TokenOf(string header) => header.AsSpan(Scheme.Length).Trim();
}
