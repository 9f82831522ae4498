namespace ChannelAccounts.Server.Hosting;

/// <summary>How the server is started: where it listens, which database it uses, and its request limits.</summary>
public sealed record ServerOptions
{
    public const string DefaultDatabase = "sqlite:./data/channelaccounts.db";
    public const string DefaultUrls = "http://127.0.0.1:5000";

    public string Urls { get; init; } = DefaultUrls;

    /// <summary>The address Twilio reaches this server at (inbound URLs are made from it); null: the first of Urls.</summary>
    public string? PublicUrl { get; init; }

    /// <summary>sqlite:PATH or postgres:CONNECTION-STRING.</summary>
    public string Database { get; init; } = DefaultDatabase;

    /// <summary>Bodies larger than this are refused with 413 before they are read in full.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>A $batch body may be this large (its requests are held to MaxRequestBodyBytes each).</summary>
    public long MaxBatchBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Log ASP.NET Core's request lines (never bodies or headers, which carry tokens and secrets).</summary>
    public bool Quiet { get; init; }

    /// <summary>An OpenID Connect issuer (e.g. https://login.microsoftonline.com/TENANT/v2.0) whose tokens are accepted too.</summary>
    public string? ExternalAuthority { get; init; }

    /// <summary>The audience external tokens must carry (with ExternalAuthority).</summary>
    public string? ExternalAudience { get; init; }

    /// <summary>The external issuer's signing keys, for offline use: set, the server never fetches the authority's metadata.</summary>
    public IReadOnlyList<Microsoft.IdentityModel.Tokens.SecurityKey>? ExternalSigningKeys { get; init; }
}
