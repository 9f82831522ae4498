using ChannelAccounts.Sdk.Organization;

namespace ChannelAccounts.Sdk.Messages;

/// <summary>The version of the organization's service, which clients compare with the versions their features need.</summary>
public sealed class RetrieveVersionRequest : OrganizationRequest
{
    public RetrieveVersionRequest() : base("RetrieveVersion") { }
}

public sealed class RetrieveVersionResponse : OrganizationResponse
{
    public string Version { get => Get<string>(nameof(Version)) ?? ""; set => this[nameof(Version)] = value; }
}

/// <summary>The organization the caller belongs to: its id, names, version, state and endpoints.</summary>
public sealed class RetrieveCurrentOrganizationRequest : OrganizationRequest
{
    public RetrieveCurrentOrganizationRequest() : base("RetrieveCurrentOrganization") { }

    public EndpointAccessType AccessType { get => Get<EndpointAccessType>(nameof(AccessType)); set => this[nameof(AccessType)] = value; }
}

public sealed class RetrieveCurrentOrganizationResponse : OrganizationResponse
{
    public OrganizationDetail Detail { get => Get<OrganizationDetail>(nameof(Detail))!; set => this[nameof(Detail)] = value; }
}
