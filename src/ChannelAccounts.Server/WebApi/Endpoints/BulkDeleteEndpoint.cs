using System.Text.Json;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// POST BulkDelete: the queries of QuerySet in the Web API's QueryExpression JSON, the job's other parameters as
/// Dataverse declares them; 200 with BulkDeleteResponse {JobId} once the job has run (BulkDeleteJob).
/// </summary>
public static class BulkDeleteEndpoint
{
    public static async Task PostAsync(WebApiContext api, long maxBodyBytes)
    {
        const string name = BulkDeleteDeclarations.BulkDelete;
        if (!HttpMethods.IsPost(api.Http.Request.Method))
        {
            throw WebApiException.NoResource(api.Http.Request.Path + api.Http.Request.QueryString);
        }

        var body = await RequestBody.ReadJsonAsync(api.Http, name, maxBodyBytes);
        var parameters = new OperationParameterReader(api.Catalog, name);
        parameters.RejectUndeclared(body, api.Model);
        var querySet = parameters.Required(body, "QuerySet");
        if (querySet.ValueKind != JsonValueKind.Array)
        {
            throw WebApiException.BadRequest($"Invalid parameters for '{name}': 'QuerySet' must be an array of QueryExpression objects.");
        }

        var queries = new QueryExpressionReader(name);
        var request = new BulkDeleteRequest
        {
            QuerySet = [.. querySet.EnumerateArray().Select((query, i) => queries.Read(query, $"QuerySet[{i}]"))],
            // Declared non-nullable, and the one parameter besides QuerySet that Dataverse's message requires.
            JobName = parameters.String(parameters.Required(body, "JobName"), "JobName"),
            RecurrencePattern = body.TryGetProperty("RecurrencePattern", out var recurrence) ? parameters.String(recurrence, "RecurrencePattern") : null,
            SendEmailNotification = body.TryGetProperty("SendEmailNotification", out var send) && parameters.Boolean(send, "SendEmailNotification"),
            ToRecipients = parameters.Guids(body, "ToRecipients"),
            CCRecipients = parameters.Guids(body, "CCRecipients"),
        };
        if (body.TryGetProperty("StartDateTime", out var start))
        {
            request.StartDateTime = start.ValueKind == JsonValueKind.String && start.TryGetDateTimeOffset(out var moment) ? moment.UtcDateTime
                : throw WebApiException.BadRequest($"Invalid parameters for '{name}': 'StartDateTime' must be a date and time such as 2026-01-31T08:00:00Z.");
        }
        if (body.TryGetProperty("RunNow", out var runNow))
        {
            parameters.Boolean(runNow, "RunNow");
        }
        if (body.TryGetProperty("SourceImportId", out var sourceImport))
        {
            parameters.Guid(sourceImport, "SourceImportId");
        }

        var response = (BulkDeleteResponse)await api.ExecuteAsync(request);
        api.Http.Response.Headers["OData-Version"] = "4.0";
        await OperationResponse.WriteAsync(api, $"{EdmModelBuilder.Namespace}.{name}Response", result => result.WriteGuid("JobId", response.JobId));
    }
}
