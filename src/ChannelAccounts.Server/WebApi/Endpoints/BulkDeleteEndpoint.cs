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
            JobName = Text(parameters.Required(body, "JobName"), "JobName", name),
            RecurrencePattern = body.TryGetProperty("RecurrencePattern", out var recurrence) ? Text(recurrence, "RecurrencePattern", name) : null,
            SendEmailNotification = body.TryGetProperty("SendEmailNotification", out var send) && Boolean(send, "SendEmailNotification", name),
            ToRecipients = Guids(parameters, body, "ToRecipients", name),
            CCRecipients = Guids(parameters, body, "CCRecipients", name),
        };
        if (body.TryGetProperty("StartDateTime", out var start))
        {
            request.StartDateTime = start.ValueKind == JsonValueKind.String && start.TryGetDateTimeOffset(out var moment) ? moment.UtcDateTime
                : throw WebApiException.BadRequest($"Invalid parameters for '{name}': 'StartDateTime' must be a date and time such as 2026-01-31T08:00:00Z.");
        }
        if (body.TryGetProperty("RunNow", out var runNow))
        {
            Boolean(runNow, "RunNow", name);
        }
        if (body.TryGetProperty("SourceImportId", out var sourceImport))
        {
            parameters.Guid(sourceImport, "SourceImportId");
        }

        var response = (BulkDeleteResponse)await api.ExecuteAsync(request);
        api.Http.Response.Headers["OData-Version"] = "4.0";
        await OperationResponse.WriteAsync(api, $"{EdmModelBuilder.Namespace}.{name}Response", result => result.WriteGuid("JobId", response.JobId));
    }

    /// <summary>A string parameter: its declared type is non-nullable Edm.String, so null is refused like a number.</summary>
    private static string Text(JsonElement value, string parameter, string operation) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()!
        : throw WebApiException.BadRequest($"Invalid parameters for '{operation}': '{parameter}' must be a string{(value.ValueKind == JsonValueKind.Null ? ", not null" : "")}.");

    private static bool Boolean(JsonElement value, string parameter, string operation) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw WebApiException.BadRequest($"Invalid parameters for '{operation}': '{parameter}' must be true or false, not {value.GetRawText()}."),
    };

    private static Guid[] Guids(OperationParameterReader reader, JsonElement body, string parameter, string operation) =>
        !body.TryGetProperty(parameter, out var value) || value.ValueKind == JsonValueKind.Null ? []
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select((id, i) => reader.Guid(id, $"{parameter}[{i}]"))]
        : throw WebApiException.BadRequest($"Invalid parameters for '{operation}': '{parameter}' must be an array of GUIDs.");
}
