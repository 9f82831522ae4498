namespace ChannelAccounts.Sdk.Messages;

public sealed class AssignRequest : OrganizationRequest
{
    public AssignRequest() : base("Assign") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public EntityReference Assignee { get => Get<EntityReference>(nameof(Assignee))!; set => this[nameof(Assignee)] = value; }
}

public sealed class AssignResponse : OrganizationResponse
{
}

public sealed class GrantAccessRequest : OrganizationRequest
{
    public GrantAccessRequest() : base("GrantAccess") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public PrincipalAccess PrincipalAccess { get => Get<PrincipalAccess>(nameof(PrincipalAccess))!; set => this[nameof(PrincipalAccess)] = value; }
}

public sealed class GrantAccessResponse : OrganizationResponse
{
}

public sealed class ModifyAccessRequest : OrganizationRequest
{
    public ModifyAccessRequest() : base("ModifyAccess") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public PrincipalAccess PrincipalAccess { get => Get<PrincipalAccess>(nameof(PrincipalAccess))!; set => this[nameof(PrincipalAccess)] = value; }
}

public sealed class ModifyAccessResponse : OrganizationResponse
{
}

public sealed class RevokeAccessRequest : OrganizationRequest
{
    public RevokeAccessRequest() : base("RevokeAccess") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public EntityReference Revokee { get => Get<EntityReference>(nameof(Revokee))!; set => this[nameof(Revokee)] = value; }
}

public sealed class RevokeAccessResponse : OrganizationResponse
{
}

public sealed class RetrievePrincipalAccessRequest : OrganizationRequest
{
    public RetrievePrincipalAccessRequest() : base("RetrievePrincipalAccess") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }

    public EntityReference Principal { get => Get<EntityReference>(nameof(Principal))!; set => this[nameof(Principal)] = value; }
}

public sealed class RetrievePrincipalAccessResponse : OrganizationResponse
{
    public AccessRights AccessRights { get => Get<AccessRights>(nameof(AccessRights)); set => this[nameof(AccessRights)] = value; }
}

public sealed class RetrieveSharedPrincipalsAndAccessRequest : OrganizationRequest
{
    public RetrieveSharedPrincipalsAndAccessRequest() : base("RetrieveSharedPrincipalsAndAccess") { }

    public EntityReference Target { get => Get<EntityReference>(nameof(Target))!; set => this[nameof(Target)] = value; }
}

public sealed class RetrieveSharedPrincipalsAndAccessResponse : OrganizationResponse
{
    public PrincipalAccess[] PrincipalAccesses { get => Get<PrincipalAccess[]>(nameof(PrincipalAccesses)) ?? []; set => this[nameof(PrincipalAccesses)] = value; }
}

public sealed class SetStateRequest : OrganizationRequest
{
    public SetStateRequest() : base("SetState") { }

    public EntityReference EntityMoniker { get => Get<EntityReference>(nameof(EntityMoniker))!; set => this[nameof(EntityMoniker)] = value; }

    public OptionSetValue State { get => Get<OptionSetValue>(nameof(State))!; set => this[nameof(State)] = value; }

    public OptionSetValue Status { get => Get<OptionSetValue>(nameof(Status))!; set => this[nameof(Status)] = value; }
}

public sealed class SetStateResponse : OrganizationResponse
{
}
