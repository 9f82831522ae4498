namespace ChannelAccounts.Sdk.Messages;

/// <summary>Creates every target in one transaction: all or nothing.</summary>
public sealed class CreateMultipleRequest : OrganizationRequest
{
    public CreateMultipleRequest() : base("CreateMultiple") { }

    public EntityCollection Targets { get => Get<EntityCollection>(nameof(Targets))!; set => this[nameof(Targets)] = value; }
}

public sealed class CreateMultipleResponse : OrganizationResponse
{
    /// <summary>The ids of the new records, in the order of the targets.</summary>
    public Guid[] Ids { get => Get<Guid[]>(nameof(Ids)) ?? []; set => this[nameof(Ids)] = value; }
}

/// <summary>Updates every target in one transaction: all or nothing.</summary>
public sealed class UpdateMultipleRequest : OrganizationRequest
{
    public UpdateMultipleRequest() : base("UpdateMultiple") { }

    public EntityCollection Targets { get => Get<EntityCollection>(nameof(Targets))!; set => this[nameof(Targets)] = value; }
}

public sealed class UpdateMultipleResponse : OrganizationResponse
{
}

/// <summary>Updates the targets whose ids exist and creates the others, in one transaction: all or nothing.</summary>
public sealed class UpsertMultipleRequest : OrganizationRequest
{
    public UpsertMultipleRequest() : base("UpsertMultiple") { }

    public EntityCollection Targets { get => Get<EntityCollection>(nameof(Targets))!; set => this[nameof(Targets)] = value; }
}

public sealed class UpsertMultipleResponse : OrganizationResponse
{
    /// <summary>
    /// One result per target, in the order of the targets. It hides the response's parameter bag, as the Dataverse SDK's
    /// UpsertMultipleResponse.Results does; the bag stays reachable through OrganizationResponse.
    /// </summary>
    public new UpsertResponse[] Results { get => Get<UpsertResponse[]>(nameof(Results)) ?? []; set => this[nameof(Results)] = value; }
}

/// <summary>Whether SetState would accept the state (by name, or its number as text) and status for the record.</summary>
public sealed class IsValidStateTransitionRequest : OrganizationRequest
{
    public IsValidStateTransitionRequest() : base("IsValidStateTransition") { }

    public EntityReference Entity { get => Get<EntityReference>(nameof(Entity))!; set => this[nameof(Entity)] = value; }

    public string NewState { get => Get<string>(nameof(NewState))!; set => this[nameof(NewState)] = value; }

    public int NewStatus { get => Get<int>(nameof(NewStatus)); set => this[nameof(NewStatus)] = value; }
}

public sealed class IsValidStateTransitionResponse : OrganizationResponse
{
    public bool IsValid { get => Get<bool>(nameof(IsValid)); set => this[nameof(IsValid)] = value; }
}
