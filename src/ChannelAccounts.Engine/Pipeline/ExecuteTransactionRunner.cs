using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// ExecuteTransaction: the requests run in order in one EngineTransactionScope. The first fault rolls back them all
/// and is rethrown with FaultedRequestIndex set, as Dataverse's ExecuteTransactionFault does.
/// </summary>
internal static class ExecuteTransactionRunner
{
    public const string MessageName = "ExecuteTransaction";

    public static async Task<OrganizationResponse> RunAsync(OrganizationEngine engine, OrganizationRequest request, CallerIdentity caller,
        CancellationToken cancellationToken)
    {
        var requests = request.Parameters.GetValueOrDefault(nameof(ExecuteTransactionRequest.Requests)) as IEnumerable<OrganizationRequest>
            ?? throw new OrganizationServiceFaultException(ErrorCodes.InvalidArgument, "ExecuteTransaction needs Requests, a collection of requests.");
        var returnResponses = request.Parameters.GetValueOrDefault(nameof(ExecuteTransactionRequest.ReturnResponses)) is true;
        var responses = new OrganizationResponseCollection();
        await using var scope = await engine.BeginScopeAsync(cancellationToken);
        var index = 0;
        foreach (var inner in requests)
        {
            if (inner.RequestName is MessageName or "ExecuteMultiple")
            {
                throw new OrganizationServiceFaultException(new OrganizationServiceFault
                {
                    ErrorCode = ErrorCodes.InvalidArgument,
                    Message = $"{inner.RequestName} cannot run inside ExecuteTransaction.",
                    FaultedRequestIndex = index,
                });
            }

            try
            {
                var response = await scope.ExecuteAsync(inner, caller, cancellationToken);
                if (returnResponses)
                {
                    responses.Add(response);
                }
            }
            catch (OrganizationServiceFaultException fault)
            {
                throw new OrganizationServiceFaultException(new OrganizationServiceFault
                {
                    ErrorCode = fault.ErrorCode,
                    Message = fault.Message,
                    FaultedRequestIndex = index,
                });
            }

            index++;
        }

        await scope.CommitAsync(cancellationToken);
        return new ExecuteTransactionResponse { ResponseName = MessageName, Responses = responses };
    }
}
