namespace ChannelAccounts.Sdk.Messages;

/// <summary>Runs requests in one transaction: all succeed or none, as in Microsoft.Xrm.Sdk.Messages.</summary>
public sealed class ExecuteTransactionRequest : OrganizationRequest
{
    public ExecuteTransactionRequest() : base("ExecuteTransaction") { }

    public OrganizationRequestCollection Requests { get => Get<OrganizationRequestCollection>(nameof(Requests)) ?? []; set => this[nameof(Requests)] = value; }

    public bool? ReturnResponses { get => Get<bool?>(nameof(ReturnResponses)); set => this[nameof(ReturnResponses)] = value; }
}

public sealed class ExecuteTransactionResponse : OrganizationResponse
{
    public ExecuteTransactionResponse() => ResponseName = "ExecuteTransaction";

    public OrganizationResponseCollection Responses { get => Get<OrganizationResponseCollection>(nameof(Responses)) ?? []; set => this[nameof(Responses)] = value; }
}
