using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Json;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi;

/// <summary>One Web API request as the endpoints see it: the caller, the parsed Prefer and Accept headers, and URL helpers.</summary>
public sealed class WebApiContext
{
    private (MetadataLevel Level, bool Ieee754Compatible)? _format;

    public required HttpContext Http { get; init; }

    public required OrganizationEngine Engine { get; init; }

    public required IEdmModel Model { get; init; }

    public required CallerIdentity Caller { get; init; }

    public required PreferHeader Prefer { get; init; }

    /// <summary>"https://host/api/data/v9.2/" — the root that @odata.context, OData-EntityId and nextLink build on.</summary>
    public required string ServiceRoot { get; init; }

    public MetadataCatalog Catalog => Engine.Catalog;

    /// <summary>
    /// The odata.metadata level of this request's JSON body, read from Accept on first use (once per request), so that
    /// a response without a body (204, 304) never refuses an Accept it has no use for; a 406 when Accept admits no JSON.
    /// </summary>
    public MetadataLevel Metadata => Format.Level;

    /// <summary>Accept asked for IEEE754Compatible=true: Int64 values (versionnumber, @odata.count) are written as strings.</summary>
    public bool Ieee754Compatible => Format.Ieee754Compatible;

    private (MetadataLevel Level, bool Ieee754Compatible) Format => _format ??= AcceptHeader.NegotiateFormat(Http.Request.Headers.Accept);

    /// <summary>The Content-Type of the JSON body, naming the level it is written at (and IEEE754Compatible, when asked for).</summary>
    public string JsonContentType => Ieee754Compatible ? Metadata.ContentType() + "; IEEE754Compatible=true" : Metadata.ContentType();

    /// <summary>Whether the body carries @odata.context: at every level but none.</summary>
    public bool WritesContext => Metadata != MetadataLevel.None;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>
    /// Dataverse's header for the SDK's optional BypassCustomPluginExecution, read once per request; the engine checks
    /// the caller may send it.
    /// </summary>
    private bool BypassesCustomPlugins => _bypassesCustomPlugins ??=
        bool.TryParse(Http.Request.Headers["MSCRM.BypassCustomPluginExecution"].ToString().Trim(), out var bypass) && bypass;

    private bool? _bypassesCustomPlugins;

    /// <summary>
    /// Runs the message as the caller: in its own transaction, or in the transaction scope of a $batch change set
    /// when the request carries one (TransactionScopeKey in HttpContext.Items).
    /// </summary>
    public Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request)
    {
        if (BypassesCustomPlugins)
        {
            request.Parameters[OrganizationEngine.BypassCustomPluginExecution] = true;
        }

        return Http.Items.TryGetValue(TransactionScopeKey, out var scope) && scope is EngineTransactionScope shared
            ? shared.ExecuteAsync(request, Caller, Aborted)
            : Engine.ExecuteAsync(request, Caller, Aborted);
    }

    /// <summary>
    /// Runs the work's messages in one transaction: the change set's when the request is part of one, else a scope of
    /// its own, committed when the work returns. A write that answers with its record reads it this way, so the answer
    /// is the row this request wrote, not a later writer's (nor a 404 when someone deletes it right after).
    /// </summary>
    public async Task<T> InOneTransactionAsync<T>(Func<Task<T>> work)
    {
        if (Http.Items.ContainsKey(TransactionScopeKey))
        {
            return await work();
        }

        return await Engine.InScopeAsync(async scope =>
        {
            Http.Items[TransactionScopeKey] = scope;
            try
            {
                return await work();
            }
            finally
            {
                Http.Items.Remove(TransactionScopeKey);
            }
        }, Aborted);
    }

    /// <summary>The HttpContext.Items key under which a change set's EngineTransactionScope travels to the endpoints.</summary>
    public static readonly object TransactionScopeKey = new();

    public string EntityUri(EntityDefinition entity, Guid id) => ServiceRoot + EntityPath(entity, id);

    /// <summary>A record's path relative to the service root: "set(id)".</summary>
    public static string EntityPath(EntityDefinition entity, Guid id) => $"{entity.EntitySetName}({id})";

    public string MetadataUri(string fragment) => $"{ServiceRoot}$metadata#{fragment}";
}
