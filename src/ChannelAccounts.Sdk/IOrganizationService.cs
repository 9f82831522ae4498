using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Sdk;

/// <summary>The organization service, as in Microsoft.Xrm.Sdk (synchronous).</summary>
public interface IOrganizationService
{
    Guid Create(Entity entity);

    Entity Retrieve(string entityName, Guid id, ColumnSet columnSet);

    void Update(Entity entity);

    void Delete(string entityName, Guid id);

    EntityCollection RetrieveMultiple(QueryBase query);

    OrganizationResponse Execute(OrganizationRequest request);

    void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities);

    void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities);
}

/// <summary>The organization service, as in Microsoft.Xrm.Sdk; the async twin of IOrganizationService.</summary>
public interface IOrganizationServiceAsync
{
    Task<Guid> CreateAsync(Entity entity, CancellationToken cancellationToken = default);

    Task<Entity> RetrieveAsync(string entityName, Guid id, ColumnSet columnSet, CancellationToken cancellationToken = default);

    Task UpdateAsync(Entity entity, CancellationToken cancellationToken = default);

    Task DeleteAsync(string entityName, Guid id, CancellationToken cancellationToken = default);

    Task<EntityCollection> RetrieveMultipleAsync(QueryBase query, CancellationToken cancellationToken = default);

    Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CancellationToken cancellationToken = default);

    Task AssociateAsync(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities,
        CancellationToken cancellationToken = default);

    Task DisassociateAsync(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities,
        CancellationToken cancellationToken = default);
}

/// <summary>
/// The synchronous service on top of an async one: each call blocks on its async twin. Implementers of
/// IOrganizationServiceAsync derive from this to get IOrganizationService too.
/// </summary>
public abstract class OrganizationServiceBase : IOrganizationService, IOrganizationServiceAsync
{
    public abstract Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CancellationToken cancellationToken = default);

    public virtual async Task<Guid> CreateAsync(Entity entity, CancellationToken cancellationToken = default) =>
        ((CreateResponse)await ExecuteAsync(new CreateRequest { Target = entity }, cancellationToken)).id;

    public virtual async Task<Entity> RetrieveAsync(string entityName, Guid id, ColumnSet columnSet, CancellationToken cancellationToken = default) =>
        ((RetrieveResponse)await ExecuteAsync(new RetrieveRequest { Target = new(entityName, id), ColumnSet = columnSet }, cancellationToken)).Entity;

    public virtual Task UpdateAsync(Entity entity, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new UpdateRequest { Target = entity }, cancellationToken);

    public virtual Task DeleteAsync(string entityName, Guid id, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new DeleteRequest { Target = new(entityName, id) }, cancellationToken);

    public virtual async Task<EntityCollection> RetrieveMultipleAsync(QueryBase query, CancellationToken cancellationToken = default) =>
        ((RetrieveMultipleResponse)await ExecuteAsync(new RetrieveMultipleRequest { Query = query }, cancellationToken)).EntityCollection;

    public virtual Task AssociateAsync(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities,
        CancellationToken cancellationToken = default) =>
        ExecuteAsync(new AssociateRequest { Target = new(entityName, entityId), Relationship = relationship, RelatedEntities = [.. relatedEntities] }, cancellationToken);

    public virtual Task DisassociateAsync(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities,
        CancellationToken cancellationToken = default) =>
        ExecuteAsync(new DisassociateRequest { Target = new(entityName, entityId), Relationship = relationship, RelatedEntities = [.. relatedEntities] }, cancellationToken);

    public Guid Create(Entity entity) => Wait(CreateAsync(entity));

    public Entity Retrieve(string entityName, Guid id, ColumnSet columnSet) => Wait(RetrieveAsync(entityName, id, columnSet));

    public void Update(Entity entity) => Wait(UpdateAsync(entity));

    public void Delete(string entityName, Guid id) => Wait(DeleteAsync(entityName, id));

    public EntityCollection RetrieveMultiple(QueryBase query) => Wait(RetrieveMultipleAsync(query));

    public OrganizationResponse Execute(OrganizationRequest request) => Wait(ExecuteAsync(request));

    public void Associate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
        Wait(AssociateAsync(entityName, entityId, relationship, relatedEntities));

    public void Disassociate(string entityName, Guid entityId, Relationship relationship, EntityReferenceCollection relatedEntities) =>
        Wait(DisassociateAsync(entityName, entityId, relationship, relatedEntities));

    private static T Wait<T>(Task<T> task) => Task.Run(() => task).GetAwaiter().GetResult();

    private static void Wait(Task task) => Task.Run(() => task).GetAwaiter().GetResult();
}

/// <summary>A list of record pointers, as Associate and Disassociate take them.</summary>
public sealed class EntityReferenceCollection : List<EntityReference>
{
    public EntityReferenceCollection() { }

    public EntityReferenceCollection(IEnumerable<EntityReference> references) : base(references) { }
}
