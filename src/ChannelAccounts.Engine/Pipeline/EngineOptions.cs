namespace ChannelAccounts.Engine.Pipeline;

/// <summary>Limits of the engine that a host may change.</summary>
public sealed record EngineOptions
{
    public static EngineOptions Default { get; } = new();

    /// <summary>
    /// The most targets one CreateMultiple, UpdateMultiple or UpsertMultiple may carry. Dataverse sets no count for
    /// standard tables (it advises starting at 1,000); over the Web API the request body limit bounds a call.
    /// </summary>
    public int MaxBulkTargets { get; init; } = int.MaxValue;

    /// <summary>
    /// The address Twilio reaches this server at (e.g. https://wa.contoso.com): an account created without
    /// msdyn_twilioinboundurl gets {PublicBaseUrl}/twilio/whatsapp/{id}/inbound; null leaves the column empty. A
    /// function because a server listening on port 0 learns its address only once it listens.
    /// </summary>
    public Func<Uri?> PublicBaseUrl { get; init; } = () => null;
}
