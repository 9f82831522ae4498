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

/// <summary>
/// Deletes every record the queries return, as a system job in Dataverse. Here the job runs at once, before the
/// response: each record is deleted as the caller would delete it alone, and one that fails (no Delete right,
/// say) stays while the others go. Needs prvBulkDelete. Recurring jobs (RecurrencePattern) are not served.
/// </summary>
public sealed class BulkDeleteRequest : OrganizationRequest
{
    public BulkDeleteRequest() : base("BulkDelete") { }

    public Query.QueryExpression[] QuerySet { get => Get<Query.QueryExpression[]>(nameof(QuerySet))!; set => this[nameof(QuerySet)] = value; }

    public string? JobName { get => Get<string>(nameof(JobName)); set => this[nameof(JobName)] = value; }

    public bool SendEmailNotification { get => Get<bool>(nameof(SendEmailNotification)); set => this[nameof(SendEmailNotification)] = value; }

    public Guid[] ToRecipients { get => Get<Guid[]>(nameof(ToRecipients)) ?? []; set => this[nameof(ToRecipients)] = value; }

    public Guid[] CCRecipients { get => Get<Guid[]>(nameof(CCRecipients)) ?? []; set => this[nameof(CCRecipients)] = value; }

    /// <summary>Empty for a job that runs once, the only kind served.</summary>
    public string? RecurrencePattern { get => Get<string>(nameof(RecurrencePattern)); set => this[nameof(RecurrencePattern)] = value; }

    public DateTime StartDateTime { get => Get<DateTime>(nameof(StartDateTime)); set => this[nameof(StartDateTime)] = value; }
}

public sealed class BulkDeleteResponse : OrganizationResponse
{
    /// <summary>The id of the job (its asyncoperation in Dataverse).</summary>
    public Guid JobId { get => Get<Guid>(nameof(JobId)); set => this[nameof(JobId)] = value; }

    /// <summary>Records deleted (not in Dataverse's response: its job keeps the counts on the bulkdeleteoperation record).</summary>
    public int SuccessCount { get => Get<int>(nameof(SuccessCount)); set => this[nameof(SuccessCount)] = value; }

    /// <summary>Records the job could not delete.</summary>
    public int FailureCount { get => Get<int>(nameof(FailureCount)); set => this[nameof(FailureCount)] = value; }
}
