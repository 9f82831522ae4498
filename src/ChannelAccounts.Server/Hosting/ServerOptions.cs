namespace ChannelAccounts.Server.Hosting;

/// <summary>How the server is started: where it listens, which database it uses, and its request limits.</summary>
public sealed record ServerOptions
{
    public const string DefaultDatabase = "sqlite:./data/channelaccounts.db";
    public const string DefaultUrls = "http://127.0.0.1:5000";

    public string Urls { get; init; } = DefaultUrls;

    /// <summary>sqlite:PATH or postgres:CONNECTION-STRING.</summary>
    public string Database { get; init; } = DefaultDatabase;

    /// <summary>Bodies larger than this are refused with 413 before they are read in full.</summary>
    public long MaxRequestBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Log ASP.NET Core's request lines (never bodies or headers, which carry tokens and secrets).</summary>
    public bool Quiet { get; init; }
}
