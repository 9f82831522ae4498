using System.Collections.ObjectModel;

namespace ChannelAccounts.Sdk.Messages;

public sealed class OrganizationRequestCollection : Collection<OrganizationRequest>
{
}

public sealed class OrganizationResponseCollection : Collection<OrganizationResponse>
{
}

/// <summary>Runs the requests in order in one transaction: all succeed, or the first fault undoes them all.</summary>
public sealed class ExecuteTransactionRequest : OrganizationRequest
{
    public ExecuteTransactionRequest() : base("ExecuteTransaction") { }

    public OrganizationRequestCollection Requests { get => Get<OrganizationRequestCollection>(nameof(Requests))!; set => this[nameof(Requests)] = value; }

    public bool ReturnResponses { get => Get<bool>(nameof(ReturnResponses)); set => this[nameof(ReturnResponses)] = value; }
}

public sealed class ExecuteTransactionResponse : OrganizationResponse
{
    /// <summary>One response per request, in order, when ReturnResponses was set; empty otherwise.</summary>
    public OrganizationResponseCollection Responses { get => Get<OrganizationResponseCollection>(nameof(Responses))!; set => this[nameof(Responses)] = value; }
}
