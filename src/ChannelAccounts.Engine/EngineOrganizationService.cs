using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine;

/// <summary>IOrganizationServiceAsync in process, for one caller: the same engine the Web API uses.</summary>
public sealed class EngineOrganizationService(OrganizationEngine engine, CallerIdentity caller) : IOrganizationServiceAsync
{
    public async Task<Guid> CreateAsync(Entity entity, CancellationToken cancellationToken = default) =>
        ((CreateResponse)await ExecuteAsync(new CreateRequest { Target = entity }, cancellationToken)).id;

    public async Task<Entity> RetrieveAsync(string entityName, Guid id, ColumnSet columnSet, CancellationToken cancellationToken = default) =>
        ((RetrieveResponse)await ExecuteAsync(new RetrieveRequest { Target = new(entityName, id), ColumnSet = columnSet }, cancellationToken)).Entity;

    public Task UpdateAsync(Entity entity, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new UpdateRequest { Target = entity }, cancellationToken);

    public Task DeleteAsync(string entityName, Guid id, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new DeleteRequest { Target = new(entityName, id) }, cancellationToken);

    public async Task<EntityCollection> RetrieveMultipleAsync(QueryBase query, CancellationToken cancellationToken = default) =>
        ((RetrieveMultipleResponse)await ExecuteAsync(new RetrieveMultipleRequest { Query = query }, cancellationToken)).EntityCollection;

    public Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CancellationToken cancellationToken = default) =>
        engine.ExecuteAsync(request, caller, cancellationToken);
}
