using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ChannelAccounts.Server.Hosting;

/// <summary>
/// The address Twilio reaches this server at, from which accounts' inbound URLs are made: --public-url (or the
/// configuration key ChannelAccounts:PublicUrl), else the first --urls address, else (port 0, a wildcard host) the
/// address the server actually listens on.
/// </summary>
public sealed class PublicBaseUrl
{
    public const string ConfigurationKey = "ChannelAccounts:PublicUrl";

    private readonly Uri? _configured;
    private IServer? _server;
    private Uri? _listening;

    private PublicBaseUrl(Uri? configured) => _configured = configured;

    /// <summary>Reads the setting; a value that is not an absolute http(s) URL without query or fragment stops the start with a clear message.</summary>
    public static PublicBaseUrl From(ServerOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = options.PublicUrl ?? configuration[ConfigurationKey];
        if (configured is not null)
        {
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.Query.Length > 0 || uri.Fragment.Length > 0 || configured.Length > 400)
            {
                throw new ArgumentException(
                    $"--public-url '{configured}' must be an absolute http or https URL without query or fragment, at most 400 characters " +
                    "(the address Twilio reaches this server at, e.g. https://wa.contoso.com).");
            }

            return new PublicBaseUrl(uri);
        }

        var first = options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return new PublicBaseUrl(Uri.TryCreate(first, UriKind.Absolute, out var listen) && IsConcrete(listen) ? listen : null);
    }

    /// <summary>The server whose bound address is the fallback.</summary>
    public void Attach(IServer server) => _server = server;

    public Uri? Get() => _configured ?? (_listening ??= Listening());

    private Uri? Listening()
    {
        var address = _server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) && IsConcrete(uri) ? uri : null;
    }

    /// <summary>A URL a client can call: a real port and host, not 0, *, + or 0.0.0.0.</summary>
    private static bool IsConcrete(Uri uri) =>
        uri.Port > 0 && uri.Host is not ("*" or "+" or "0.0.0.0" or "[::]") && uri.Host.Length > 0;
}
