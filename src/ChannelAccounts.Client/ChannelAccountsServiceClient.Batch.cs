using System.Net.Http.Headers;
using ChannelAccounts.Client.Batch;
using ChannelAccounts.Client.Http;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client;

/// <summary>ExecuteMultiple and ExecuteTransaction as one Web API $batch each.</summary>
public sealed partial class ChannelAccountsServiceClient
{
    private const string ContinueOnErrorPreference = "odata.continue-on-error";

    /// <summary>
    /// One $batch, each request its own part (Prefer: odata.continue-on-error when ContinueOnError): a write in a change
    /// set of its own, whose Content-ID its answer echoes, a read (GET, which a change set cannot hold) alone. Without
    /// continue-on-error the Web API answers a failure with that part alone: the answers before it are dropped (so
    /// creates are sent with their ids, and their responses are known without answers), and a failed read would not
    /// say which it is. A list with reads, or with an upsert whose RecordCreated needs the answer, goes request by
    /// request in that case.
    /// </summary>
    private async Task<OrganizationResponse> ExecuteMultipleCoreAsync(ExecuteMultipleRequest request, CancellationToken cancellationToken)
    {
        var settings = request.Settings;
        ExecuteMultipleResponse.ThrowIfNested(request);
        var stopOnError = !settings.ContinueOnError;
        var forms = await FormsOfAsync(request.Requests, assignIds: stopOnError && settings.ReturnResponses, cancellationToken);
        if (stopOnError && (forms.Any(IsRead) || (settings.ReturnResponses && forms.Any(f => f.AnswerNeeded))))
        {
            return await ExecuteMultipleResponse.RunSequentiallyAsync(request, ExecuteAsync, cancellationToken);
        }

        var plan = BatchPlan.PartPerMessage(forms, IsRead);
        var answers = plan.Parts.Count == 0 ? [] : await SendBatchAsync(plan.Parts, settings.ContinueOnError, cancellationToken);
        var grouped = plan.Group(answers);
        var items = new ExecuteMultipleResponseItemCollection();
        for (var index = 0; index < forms.Count; index++)
        {
            if (grouped[index].FirstOrDefault(a => a.Failed) is { } failed)
            {
                items.Add(new ExecuteMultipleResponseItem { RequestIndex = index, Fault = WebApiTransport.FaultOf(failed).Detail });
                if (stopOnError)
                {
                    break; // the requests after it did not run
                }
            }
            else if (settings.ReturnResponses)
            {
                if (forms[index].AnswerNeeded && grouped[index].Count < forms[index].Calls.Count)
                {
                    throw new InvalidOperationException($"The server's $batch answer has no response for request {index} of ExecuteMultiple.");
                }

                items.Add(new ExecuteMultipleResponseItem { RequestIndex = index, Response = forms[index].Read(grouped[index]) });
            }
        }

        return new ExecuteMultipleResponse { Responses = items, IsFaulted = items.Any(i => i.Fault is not null) };
    }

    /// <summary>
    /// One $batch holding one change set: all or nothing. The failed request's Content-ID gives FaultedRequestIndex.
    /// </summary>
    private async Task<OrganizationResponse> ExecuteTransactionCoreAsync(ExecuteTransactionRequest request, CancellationToken cancellationToken)
    {
        var requests = request.Parameters.GetValueOrDefault(nameof(ExecuteTransactionRequest.Requests)) as IList<OrganizationRequest>
            ?? throw new OrganizationServiceFaultException(ErrorCodes.InvalidArgument, "ExecuteTransaction needs Requests, a collection of requests.");
        for (var index = 0; index < requests.Count; index++)
        {
            if (requests[index] is ExecuteMultipleRequest or ExecuteTransactionRequest)
            {
                throw new OrganizationServiceFaultException(new OrganizationServiceFault
                {
                    ErrorCode = ErrorCodes.InvalidArgument,
                    Message = $"{requests[index].RequestName} cannot run inside ExecuteTransaction.",
                    FaultedRequestIndex = index,
                });
            }
        }

        var forms = await FormsOfAsync(requests, assignIds: false, cancellationToken);
        if (forms.FindIndex(IsRead) is var read and >= 0)
        {
            throw new NotSupportedException(
                $"Request {read} of ExecuteTransaction is a {requests[read].RequestName}, a read: the Web API sends ExecuteTransaction as one $batch change set, which cannot hold a GET.");
        }

        var responses = new OrganizationResponseCollection();
        var plan = BatchPlan.OneChangeSet(forms);
        var answers = plan.Parts[0].Operations.Count == 0 ? [] : await SendBatchAsync(plan.Parts, continueOnError: false, cancellationToken);
        if (answers.FirstOrDefault(a => a.Answer.Failed) is { } failure)
        {
            var fault = WebApiTransport.FaultOf(failure.Answer).Detail;
            throw new OrganizationServiceFaultException(new OrganizationServiceFault
            {
                ErrorCode = fault.ErrorCode,
                Message = fault.Message,
                FaultedRequestIndex = plan.MessageIndexOf(failure.ContentId),
            });
        }

        if (request.ReturnResponses)
        {
            var grouped = plan.Group(answers);
            for (var index = 0; index < forms.Count; index++)
            {
                responses.Add(forms[index].Read(grouped[index]));
            }
        }

        return new ExecuteTransactionResponse { ResponseName = "ExecuteTransaction", Responses = responses };
    }

    private static bool IsRead(MessageForm form) => form.Calls.Any(c => c.Method == HttpMethod.Get);

    private async Task<List<MessageForm>> FormsOfAsync(IEnumerable<OrganizationRequest> requests, bool assignIds, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken);
        return [.. requests.Select(r => r is UpsertRequest upsert ? UpsertForm(upsert, metadata) : FormOf(r, metadata, assignIds))];
    }

    /// <summary>POST $batch; the answer is multipart whatever its status (a stopped batch carries the failure's).</summary>
    private async Task<IReadOnlyList<BatchAnswer>> SendBatchAsync(IReadOnlyList<BatchPart> parts, bool continueOnError, CancellationToken cancellationToken)
    {
        var (body, contentType) = await BatchPayload.WriteAsync(ServiceRoot, parts);
        var headers = continueOnError ? new Dictionary<string, string> { ["Prefer"] = ContinueOnErrorPreference } : null;
        using var response = await _transport.SendAsync(HttpMethod.Post, "$batch", () =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return content;
        }, headers, cancellationToken, streamBody: false, accept: r => r.Content.Headers.ContentType?.MediaType == "multipart/mixed");
        var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return await BatchPayload.ReadAsync(ServiceRoot, answer, response.Content.Headers.ContentType!.ToString(), (int)response.StatusCode);
    }
}
