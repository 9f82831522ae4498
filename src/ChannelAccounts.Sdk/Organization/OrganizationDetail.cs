namespace ChannelAccounts.Sdk.Organization;

/// <summary>Which address kind RetrieveCurrentOrganization reports, as Microsoft.Xrm.Sdk.Organization.EndpointAccessType.</summary>
public enum EndpointAccessType
{
    Default = 0,
    Internet = 1,
    Intranet = 2,
}

/// <summary>The endpoints an organization offers, as Microsoft.Xrm.Sdk.Organization.EndpointType.</summary>
public enum EndpointType
{
    OrganizationService = 0,
    OrganizationDataService = 1,
    WebApplication = 2,
}

public enum OrganizationState
{
    Enabled = 0,
    Disabled = 1,
}

/// <summary>What RetrieveCurrentOrganization tells about the organization, as Microsoft.Xrm.Sdk.Organization.OrganizationDetail.</summary>
public sealed class OrganizationDetail
{
    public Guid OrganizationId { get; set; }

    public string FriendlyName { get; set; } = "";

    public string UniqueName { get; set; } = "";

    public string UrlName { get; set; } = "";

    public string OrganizationVersion { get; set; } = "";

    public OrganizationState State { get; set; }

    /// <summary>Only the endpoints this service answers on: the Web API's WebApplication root.</summary>
    public Dictionary<EndpointType, string> Endpoints { get; } = [];
}
