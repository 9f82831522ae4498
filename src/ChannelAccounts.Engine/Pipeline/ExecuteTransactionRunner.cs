using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// ExecuteTransaction: the requests run in order in one EngineTransactionScope. The first fault rolls back them all
/// and is rethrown with FaultedRequestIndex set, as Dataverse's ExecuteTransactionFault does. A scope the database
/// ended to resolve a conflict with another transaction runs again from the first request (ConflictRetry).
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
        return await engine.InScopeAsync(scope => RunRequestsAsync(scope, requests, returnResponses, caller, cancellationToken), cancellationToken);
    }

    private static async Task<OrganizationResponse> RunRequestsAsync(EngineTransactionScope scope, IEnumerable<OrganizationRequest> requests,
        bool returnResponses, CallerIdentity caller, CancellationToken cancellationToken)
    {
        var responses = new OrganizationResponseCollection();
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

        return new ExecuteTransactionResponse { ResponseName = MessageName, Responses = responses };
    }
}
