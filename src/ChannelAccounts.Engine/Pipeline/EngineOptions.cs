namespace ChannelAccounts.Engine.Pipeline;

/// <summary>Limits of the engine that a host may change.</summary>
public sealed record EngineOptions
{
    public static EngineOptions Default { get; } = new();

    /// <summary>The most targets one CreateMultiple, UpdateMultiple or UpsertMultiple may carry (Dataverse advises 1,000).</summary>
    public int MaxBulkTargets { get; init; } = 1000;
}
