using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Json;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi;

/// <summary>One Web API request as the endpoints see it: the caller, the parsed Prefer header, and URL helpers.</summary>
public sealed class WebApiContext
{
    public required HttpContext Http { get; init; }

    public required OrganizationEngine Engine { get; init; }

    public required IEdmModel Model { get; init; }

    public required CallerIdentity Caller { get; init; }

    public required PreferHeader Prefer { get; init; }

    /// <summary>"https://host/api/data/v9.2/" — the root that @odata.context, OData-EntityId and nextLink build on.</summary>
    public required string ServiceRoot { get; init; }

    public MetadataCatalog Catalog => Engine.Catalog;

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>
    /// Runs the message as the caller: in its own transaction, or in the transaction scope of a $batch change set
    /// when the request carries one (TransactionScopeKey in HttpContext.Items).
    /// </summary>
    public Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request) =>
        Http.Items.TryGetValue(TransactionScopeKey, out var scope) && scope is EngineTransactionScope shared
            ? shared.ExecuteAsync(request, Caller, Aborted)
            : Engine.ExecuteAsync(request, Caller, Aborted);

    /// <summary>The HttpContext.Items key under which a change set's EngineTransactionScope travels to the endpoints.</summary>
    public static readonly object TransactionScopeKey = new();

    public string EntityUri(EntityDefinition entity, Guid id) => $"{ServiceRoot}{entity.EntitySetName}({id})";

    public string MetadataUri(string fragment) => $"{ServiceRoot}$metadata#{fragment}";
}
