using ChannelAccounts.Client.Http;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client;

/// <summary>
/// CreateMultiple, UpdateMultiple and UpsertMultiple (actions bound to the entity set, {"Targets":[…]}, all or
/// nothing), the IsValidStateTransition function and the BulkDelete action.
/// </summary>
public sealed partial class ChannelAccountsServiceClient
{
    /// <summary>GET IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@n)?@e={'@odata.id':'set(id)'}&amp;@s='…'&amp;@n=….</summary>
    private static MessageForm IsValidStateTransitionForm(IsValidStateTransitionRequest request, ServiceMetadata metadata)
    {
        var state = (request.NewState ?? throw new ArgumentException("IsValidStateTransitionRequest.NewState is required.")).Replace("'", "''", StringComparison.Ordinal);
        var path = "IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@n)?@e=" + Uri.EscapeDataString(AliasOf(request.Entity, metadata))
            + "&@s=" + Uri.EscapeDataString($"'{state}'") + "&@n=" + request.NewStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return MessageForm.One(new WebApiCall(HttpMethod.Get, path), answer =>
        {
            using var document = answer.Json();
            return new IsValidStateTransitionResponse { ResponseName = "IsValidStateTransition", IsValid = document.RootElement.GetProperty("IsValid").GetBoolean() };
        });
    }

    /// <summary>POST BulkDelete with the queries as the Web API's QueryExpression JSON → 200 {"JobId": …}.</summary>
    private static MessageForm BulkDeleteForm(BulkDeleteRequest request)
    {
        var queries = request.QuerySet ?? throw new ArgumentException("BulkDeleteRequest.QuerySet is required.");
        var body = Json(writer =>
        {
            writer.WriteStartArray("QuerySet");
            foreach (var query in queries)
            {
                Query.QueryExpressionJson.Write(writer, query);
            }
            writer.WriteEndArray();
            writer.WriteString("JobName", request.JobName ?? "");
            writer.WriteBoolean("SendEmailNotification", request.SendEmailNotification);
            WriteIds(writer, "ToRecipients", request.ToRecipients);
            WriteIds(writer, "CCRecipients", request.CCRecipients);
            writer.WriteString("RecurrencePattern", request.RecurrencePattern ?? "");
            writer.WriteString("StartDateTime", (request.StartDateTime == default ? DateTime.UtcNow : request.StartDateTime.ToUniversalTime())
                .ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        });
        return MessageForm.One(new WebApiCall(HttpMethod.Post, "BulkDelete", body), answer =>
        {
            using var document = answer.Json();
            return new BulkDeleteResponse { ResponseName = "BulkDelete", JobId = document.RootElement.GetProperty("JobId").GetGuid() };
        });
    }

    private static void WriteIds(System.Text.Json.Utf8JsonWriter writer, string name, IEnumerable<Guid> ids)
    {
        writer.WriteStartArray(name);
        foreach (var id in ids)
        {
            writer.WriteStringValue(id);
        }
        writer.WriteEndArray();
    }

    /// <summary>POST set/Microsoft.Dynamics.CRM.CreateMultiple → 200 {"Ids":[…]}; with assignIds, targets without an id get a new one.</summary>
    private static MessageForm CreateMultipleForm(CreateMultipleRequest request, ServiceMetadata metadata, bool assignIds)
    {
        var targets = request.Targets;
        if (assignIds && targets is not null)
        {
            targets = new EntityCollection([.. targets.Entities.Select(t => WithId(t, metadata, assignId: true))]) { EntityName = targets.EntityName };
            var ids = targets.Entities.Select(t => t.Id).ToArray();
            return MessageForm.Of([BulkCall("CreateMultiple", targets, metadata)], () => new CreateMultipleResponse { ResponseName = "CreateMultiple", Ids = ids });
        }

        return MessageForm.One(BulkCall("CreateMultiple", targets, metadata), answer =>
        {
            using var document = answer.Json();
            return new CreateMultipleResponse
            {
                ResponseName = "CreateMultiple",
                Ids = [.. document.RootElement.GetProperty("Ids").EnumerateArray().Select(id => id.GetGuid())],
            };
        });
    }

    /// <summary>POST set/Microsoft.Dynamics.CRM.UpdateMultiple → 204; each target carries its key.</summary>
    private static MessageForm UpdateMultipleForm(UpdateMultipleRequest request, ServiceMetadata metadata) =>
        MessageForm.Of([BulkCall("UpdateMultiple", request.Targets, metadata)], () => new UpdateMultipleResponse { ResponseName = "UpdateMultiple" });

    /// <summary>
    /// POST set/Microsoft.Dynamics.CRM.UpsertMultiple → 204. The Web API does not return UpsertMultipleResponse (nor does
    /// Dataverse's), so Results stays empty over HTTP; in process it holds one UpsertResponse per target.
    /// </summary>
    private static MessageForm UpsertMultipleForm(UpsertMultipleRequest request, ServiceMetadata metadata) =>
        MessageForm.Of([BulkCall("UpsertMultiple", request.Targets, metadata)], () => new UpsertMultipleResponse { ResponseName = "UpsertMultiple" });

    private static WebApiCall BulkCall(string action, EntityCollection? targets, ServiceMetadata metadata)
    {
        if (targets is null)
        {
            throw new ArgumentException($"{action}Request.Targets is required.");
        }

        var logicalName = targets.EntityName is { Length: > 0 } name
            ? name
            : targets.Entities.FirstOrDefault()?.LogicalName ?? throw new ArgumentException($"{action}Request.Targets needs an EntityName or at least one target.");
        var body = "{\"Targets\":[" + string.Join(',', targets.Entities.Select(target => EntityJson.Write(target, metadata, includeKey: true, withType: true))) + "]}";
        return new WebApiCall(HttpMethod.Post, $"{metadata.EntitySet(logicalName)}/Microsoft.Dynamics.CRM.{action}", body);
    }
}
