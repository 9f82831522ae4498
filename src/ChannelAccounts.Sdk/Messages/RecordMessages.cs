using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Sdk.Messages;

public sealed class CreateRequest : OrganizationRequest
{
    public CreateRequest() : base("Create") { }

    public Entity Target { get => Get<Entity>(nameof(Target))!; set => this[nameof(Target)] = value; }
}

public sealed class CreateResponse : OrganizationResponse
{
    public Guid id { get => Get<Guid>(nameof(id)); set => this[nameof(id)] = value; }
}

public sealed class RetrieveRequest : OrganizationRequest
{
    public RetrieveRequest() : base("Retrieve") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public ColumnSet ColumnSet { get => Get<ColumnSet>(nameof(ColumnSet)) ?? new ColumnSet(true); set => this[nameof(ColumnSet)] = value; }

    /// <summary>Related single-valued lookups to bring along (the Web API's $expand), as LinkEntity joins.</summary>
    public List<LinkEntity> LinkEntities { get => Get<List<LinkEntity>>(nameof(LinkEntities)) ?? []; set => this[nameof(LinkEntities)] = value; }
}

public sealed class RetrieveResponse : OrganizationResponse
{
    public Entity Entity { get => Get<Entity>(nameof(Entity))!; set => this[nameof(Entity)] = value; }
}

public sealed class UpdateRequest : OrganizationRequest
{
    public UpdateRequest() : base("Update") { }

    public Entity Target { get => Get<Entity>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public ConcurrencyBehavior ConcurrencyBehavior { get => Get<ConcurrencyBehavior>(nameof(ConcurrencyBehavior)); set => this[nameof(ConcurrencyBehavior)] = value; }
}

public sealed class UpdateResponse : OrganizationResponse
{
}

public sealed class DeleteRequest : OrganizationRequest
{
    public DeleteRequest() : base("Delete") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    /// <summary>With IfRowVersionMatches, Target must carry the expected version in RowVersion.</summary>
    public ConcurrencyBehavior ConcurrencyBehavior { get => Get<ConcurrencyBehavior>(nameof(ConcurrencyBehavior)); set => this[nameof(ConcurrencyBehavior)] = value; }

    public string? RowVersion { get => Get<string>(nameof(RowVersion)); set => this[nameof(RowVersion)] = value; }
}

public sealed class DeleteResponse : OrganizationResponse
{
}

public sealed class UpsertRequest : OrganizationRequest
{
    public UpsertRequest() : base("Upsert") { }

    public Entity Target { get => Get<Entity>(nameof(Target))!; set => this[nameof(Target)] = value; }
}

public sealed class UpsertResponse : OrganizationResponse
{
    public bool RecordCreated { get => Get<bool>(nameof(RecordCreated)); set => this[nameof(RecordCreated)] = value; }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }
}

public sealed class RetrieveMultipleRequest : OrganizationRequest
{
    public RetrieveMultipleRequest() : base("RetrieveMultiple") { }

    public QueryBase Query { get => Get<QueryBase>(nameof(Query))!; set => this[nameof(Query)] = value; }
}

public sealed class RetrieveMultipleResponse : OrganizationResponse
{
    public EntityCollection EntityCollection { get => Get<EntityCollection>(nameof(EntityCollection))!; set => this[nameof(EntityCollection)] = value; }
}

public sealed class WhoAmIRequest : OrganizationRequest
{
    public WhoAmIRequest() : base("WhoAmI") { }
}

public sealed class WhoAmIResponse : OrganizationResponse
{
    public Guid UserId { get => Get<Guid>(nameof(UserId)); set => this[nameof(UserId)] = value; }

    public Guid BusinessUnitId { get => Get<Guid>(nameof(BusinessUnitId)); set => this[nameof(BusinessUnitId)] = value; }

    public Guid OrganizationId { get => Get<Guid>(nameof(OrganizationId)); set => this[nameof(OrganizationId)] = value; }
}
