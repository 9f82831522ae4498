using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace ChannelAccounts.Server.Auth;

/// <summary>
/// Bearer authentication: the local tokens (HMAC key in the database) and, when an OpenID Connect authority is
/// configured, that issuer's tokens. A policy scheme reads the token's unvalidated `iss` only to pick the scheme;
/// the chosen scheme validates everything.
/// </summary>
public static class BearerSchemes
{
    public const string Select = "Bearer";
    public const string Local = "Local";
    public const string External = "External";

    public static void Add(IServiceCollection services, ServerOptions options, TokenIssuer tokens)
    {
        var external = ExternalIdentityOptions.From(options);
        // No default scheme: the authentication middleware ASP.NET Core adds by itself then does nothing, and the Web
        // API authenticates with Select itself (RequestAuthenticator), answering known tokens from memory.
        var authentication = services.AddAuthentication()
            .AddPolicyScheme(Select, "Local or external bearer token", policy =>
                policy.ForwardDefaultSelector = http => external is not null && IssuerOf(http) is { } issuer && issuer != TokenIssuer.Issuer
                    ? External
                    : Local)
            .AddJwtBearer(Local, jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.SaveToken = false; // nothing reads the raw token back from the ticket; storing it costs per request
                jwt.TokenValidationParameters = tokens.ValidationParameters();
                jwt.Events = Events();
            });
        if (external is not null)
        {
            authentication.AddJwtBearer(External, jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.SaveToken = false;
                jwt.Authority = external.Authority;
                jwt.Audience = external.Audience;
                jwt.RequireHttpsMetadata = !external.IsLoopback;
                jwt.TokenValidationParameters.ValidAudience = external.Audience;
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromMinutes(1);
                if (external.SigningKeys is { Count: > 0 } keys)
                {
                    // Offline: no metadata request; the issuer is the authority itself.
                    var configuration = new OpenIdConnectConfiguration { Issuer = external.Authority };
                    foreach (var key in keys)
                    {
                        configuration.SigningKeys.Add(key);
                    }

                    jwt.Configuration = configuration;
                }

                jwt.Events = Events();
            });
        }
    }

    /// <summary>The `iss` of the bearer token, unvalidated, or null when there is no readable JWT.</summary>
    private static string? IssuerOf(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var handler = new JsonWebTokenHandler();
        var token = header["Bearer ".Length..].Trim();
        return handler.CanReadToken(token) ? handler.ReadJsonWebToken(token).Issuer : null;
    }

    private static JwtBearerEvents Events() => new()
    {
        OnChallenge = async challenge =>
        {
            challenge.HandleResponse();
            await ErrorWriter.WriteAsync(challenge.HttpContext, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                "A valid bearer token is required: send 'Authorization: Bearer <token>'. The server's `token` command prints one for a user.",
                response => response.Headers.WWWAuthenticate = "Bearer"); // after the error writer's clearing of the response
        },
    };
}
