using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine;

/// <summary>
/// IOrganizationService and IOrganizationServiceAsync in process, for one caller: the same engine the Web API uses.
/// ExecuteMultiple runs its requests one after the other here, each in its own transaction.
/// </summary>
public sealed class EngineOrganizationService(OrganizationEngine engine, CallerIdentity caller) : OrganizationServiceBase
{
    public override Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CancellationToken cancellationToken = default) =>
        request switch
        {
            ExecuteMultipleRequest multiple => RunMultipleAsync(multiple, cancellationToken),
            _ => engine.ExecuteAsync(request, caller, cancellationToken),
        };

    private async Task<OrganizationResponse> RunMultipleAsync(ExecuteMultipleRequest request, CancellationToken cancellationToken) =>
        await ExecuteMultipleResponse.RunSequentiallyAsync(request, (r, ct) => engine.ExecuteAsync(r, caller, ct), cancellationToken);
}
