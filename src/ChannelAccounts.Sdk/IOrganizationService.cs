using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Sdk;

/// <summary>The organization service, as in Microsoft.Xrm.Sdk; the async twin of IOrganizationService.</summary>
public interface IOrganizationServiceAsync
{
    Task<Guid> CreateAsync(Entity entity, CancellationToken cancellationToken = default);

    Task<Entity> RetrieveAsync(string entityName, Guid id, ColumnSet columnSet, CancellationToken cancellationToken = default);

    Task UpdateAsync(Entity entity, CancellationToken cancellationToken = default);

    Task DeleteAsync(string entityName, Guid id, CancellationToken cancellationToken = default);

    Task<EntityCollection> RetrieveMultipleAsync(QueryBase query, CancellationToken cancellationToken = default);

    Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CancellationToken cancellationToken = default);
}
