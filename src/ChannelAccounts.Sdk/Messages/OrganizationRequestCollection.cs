namespace ChannelAccounts.Sdk.Messages;

/// <summary>Requests carried by ExecuteMultiple and ExecuteTransaction.</summary>
public sealed class OrganizationRequestCollection : List<OrganizationRequest>
{
}

/// <summary>Responses of ExecuteTransaction, in request order.</summary>
public sealed class OrganizationResponseCollection : List<OrganizationResponse>
{
}
