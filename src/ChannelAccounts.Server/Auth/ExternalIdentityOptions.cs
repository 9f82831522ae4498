using ChannelAccounts.Server.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace ChannelAccounts.Server.Auth;

/// <summary>The external OpenID Connect issuer whose tokens the server accepts beside its own, checked once at start.</summary>
public sealed record ExternalIdentityOptions(string Authority, string Audience, bool IsLoopback, IReadOnlyList<SecurityKey>? SigningKeys)
{
    /// <summary>Null when no authority is configured; an authority without an audience (or the reverse) is a start-up error.</summary>
    public static ExternalIdentityOptions? From(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.ExternalAuthority) && string.IsNullOrEmpty(options.ExternalAudience))
        {
            return null;
        }

        if (string.IsNullOrEmpty(options.ExternalAuthority) || string.IsNullOrEmpty(options.ExternalAudience))
        {
            throw new InvalidOperationException("External identity needs both an authority (--oidc-authority) and an audience (--oidc-audience).");
        }

        if (!Uri.TryCreate(options.ExternalAuthority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
        {
            throw new InvalidOperationException($"The OpenID Connect authority '{options.ExternalAuthority}' is not an absolute http(s) URL.");
        }

        if (authority.Scheme == "http" && !authority.IsLoopback)
        {
            throw new InvalidOperationException($"The OpenID Connect authority '{options.ExternalAuthority}' must use https (http is accepted for loopback only).");
        }

        return new ExternalIdentityOptions(options.ExternalAuthority, options.ExternalAudience, authority.IsLoopback, options.ExternalSigningKeys);
    }
}
