using ChannelAccounts.Sdk.Faults;

namespace ChannelAccounts.Sdk.Messages;

/// <summary>Runs requests one after the other, each in its own transaction, as in Microsoft.Xrm.Sdk.Messages.</summary>
public sealed class ExecuteMultipleRequest : OrganizationRequest
{
    public ExecuteMultipleRequest() : base("ExecuteMultiple") { }

    public OrganizationRequestCollection Requests { get => Get<OrganizationRequestCollection>(nameof(Requests)) ?? []; set => this[nameof(Requests)] = value; }

    public ExecuteMultipleSettings Settings { get => Get<ExecuteMultipleSettings>(nameof(Settings)) ?? new(); set => this[nameof(Settings)] = value; }
}

public sealed class ExecuteMultipleSettings
{
    /// <summary>Go on with the next request after a fault (otherwise stop at the first one).</summary>
    public bool ContinueOnError { get; set; }

    /// <summary>Return the response of every successful request (faults are always returned).</summary>
    public bool ReturnResponses { get; set; }
}

public sealed class ExecuteMultipleResponse : OrganizationResponse
{
    public ExecuteMultipleResponse() => ResponseName = "ExecuteMultiple";

    public ExecuteMultipleResponseItemCollection Responses { get => Get<ExecuteMultipleResponseItemCollection>(nameof(Responses)) ?? []; set => this[nameof(Responses)] = value; }

    public bool IsFaulted { get => Get<bool>(nameof(IsFaulted)); set => this[nameof(IsFaulted)] = value; }

    /// <summary>Runs the requests in order through execute, honouring Settings: the shared sequential implementation.</summary>
    /// <summary>An ExecuteMultiple inside ExecuteMultiple faults before any request runs: a bad call changes nothing.</summary>
    internal static void ThrowIfNested(ExecuteMultipleRequest request)
    {
        var requests = request.Requests;
        for (var index = 0; index < requests.Count; index++)
        {
            if (requests[index] is ExecuteMultipleRequest or ExecuteTransactionRequest)
            {
                throw new OrganizationServiceFaultException(ErrorCodes.InvalidArgument,
                    $"Request {index} of ExecuteMultiple is a {requests[index].RequestName}; ExecuteMultiple cannot contain ExecuteMultiple or ExecuteTransaction.");
            }
        }
    }

    public static async Task<ExecuteMultipleResponse> RunSequentiallyAsync(ExecuteMultipleRequest request,
        Func<OrganizationRequest, CancellationToken, Task<OrganizationResponse>> execute, CancellationToken cancellationToken)
    {
        ThrowIfNested(request);
        var settings = request.Settings;
        var items = new ExecuteMultipleResponseItemCollection();
        var faulted = false;
        var requests = request.Requests;
        for (var index = 0; index < requests.Count; index++)
        {
            try
            {
                var response = await execute(requests[index], cancellationToken);
                if (settings.ReturnResponses)
                {
                    items.Add(new ExecuteMultipleResponseItem { RequestIndex = index, Response = response });
                }
            }
            catch (OrganizationServiceFaultException fault)
            {
                faulted = true;
                items.Add(new ExecuteMultipleResponseItem { RequestIndex = index, Fault = fault.Detail });
                if (!settings.ContinueOnError)
                {
                    break;
                }
            }
        }

        return new ExecuteMultipleResponse { Responses = items, IsFaulted = faulted };
    }
}

public sealed class ExecuteMultipleResponseItem
{
    public int RequestIndex { get; set; }

    public OrganizationResponse? Response { get; set; }

    public OrganizationServiceFault? Fault { get; set; }
}

public sealed class ExecuteMultipleResponseItemCollection : List<ExecuteMultipleResponseItem>
{
}
