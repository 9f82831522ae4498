using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Errors;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Routing;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// POST set/Microsoft.Dynamics.CRM.CreateMultiple|UpdateMultiple|UpsertMultiple with {"Targets":[…]} (research §3), and
/// GET IsValidStateTransition(Entity=@e,NewState=@s,NewStatus=@n).
/// </summary>
public static class BulkEndpoints
{
    public static async Task ActionAsync(WebApiContext api, EntityDefinition entity, string action, long maxBodyBytes)
    {
        if (!HttpMethods.IsPost(api.Http.Request.Method))
        {
            throw WebApiException.NoResource(api.Http.Request.Path + api.Http.Request.QueryString);
        }

        var body = await RequestBody.ReadJsonAsync(api.Http, entity.EntitySetName, maxBodyBytes);
        new OperationParameterReader(api.Catalog, action).RejectUndeclared(body, api.Model);
        var targets = new EntityCollection { EntityName = entity.LogicalName };
        foreach (var target in ReadTargets(api, entity, body))
        {
            targets.Entities.Add(target);
        }

        if (action == BulkOperationDeclarations.CreateMultiple)
        {
            _ = api.Metadata; // CreateMultiple answers with a body: an Accept that admits no JSON is refused before anything is written
        }

        OrganizationRequest request = action switch
        {
            BulkOperationDeclarations.CreateMultiple => new CreateMultipleRequest { Targets = targets },
            BulkOperationDeclarations.UpdateMultiple => new UpdateMultipleRequest { Targets = targets },
            _ => new UpsertMultipleRequest { Targets = targets },
        };
        var response = await api.ExecuteAsync(request);
        var http = api.Http;
        http.Response.Headers["OData-Version"] = "4.0";
        if (response is not CreateMultipleResponse created)
        {
            // UpsertMultiple's results are not returned by the Web API (research §3).
            http.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await OperationResponse.WriteAsync(api, $"{EdmModelBuilder.Namespace}.{BulkOperationDeclarations.CreateMultiple}Response", body =>
        {
            body.PropertyType("Ids", "#Collection(Guid)");
            body.Writer.WriteStartArray("Ids");
            foreach (var id in created.Ids)
            {
                body.Writer.WriteStringValue(id);
            }

            body.Writer.WriteEndArray();
        });
    }

    public static async Task IsValidStateTransitionAsync(WebApiContext api, OperationImportSegment operation)
    {
        var http = api.Http;
        if (!HttpMethods.IsGet(http.Request.Method))
        {
            throw WebApiException.NoResource(http.Request.Path + http.Request.QueryString);
        }

        const string name = BulkOperationDeclarations.IsValidStateTransition;
        var request = new IsValidStateTransitionRequest
        {
            Entity = FunctionParameters.Reference(operation.Parameters, "Entity", http.Request.Query, api.Catalog, name),
            NewState = FunctionParameters.String(operation.Parameters, "NewState", http.Request.Query, name),
            NewStatus = FunctionParameters.Int32(operation.Parameters, "NewStatus", http.Request.Query, name),
        };
        var response = (IsValidStateTransitionResponse)await api.ExecuteAsync(request);
        await OperationResponse.WriteAsync(api, $"{EdmModelBuilder.Namespace}.{name}Response",
            body => body.Writer.WriteBoolean("IsValid", response.IsValid));
    }

    /// <summary>
    /// The id a target's "@odata.id" names (UpsertMultiple identifies records this way, research §3): a record of the
    /// called table, relative or absolute under this service root, agreeing with the id in the body if it has one.
    /// </summary>
    private static Guid NamedId(WebApiContext api, EntityDefinition entity, Entity read, JsonElement value)
    {
        var example = $"\"{entity.EntitySetName}(<id>)\" or \"{api.ServiceRoot}{entity.EntitySetName}(<id>)\"";
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WebApiException.Payload(entity.EntitySetName, $"'@odata.id' must be a string such as {example}, not {value.GetRawText()}.");
        }

        var uri = value.GetString()!;
        if (Uri.TryCreate(uri, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            && !uri.StartsWith(api.ServiceRoot, StringComparison.OrdinalIgnoreCase))
        {
            throw WebApiException.Payload(entity.EntitySetName, $"'@odata.id' '{uri}' is not under this service root; use {example}.");
        }

        var reference = EntityReferenceUri.Parse(uri, api.Catalog, out var problem)
            ?? throw WebApiException.Payload(entity.EntitySetName, $"'@odata.id' '{uri}' names no record: {problem}; use {example}.");
        if (reference.LogicalName != entity.LogicalName)
        {
            throw WebApiException.Payload(entity.EntitySetName,
                $"'@odata.id' '{uri}' names a '{reference.LogicalName}' record; a target of '{entity.EntitySetName}' names one of its own: {example}.");
        }

        return read.Id == Guid.Empty || read.Id == reference.Id
            ? reference.Id
            : throw WebApiException.IdMismatch(entity.PrimaryIdAttribute, read.Id, "'@odata.id'", reference.Id);
    }

    /// <summary>
    /// Every target must restate the table's type in @odata.type; each is read as a single create or update body is,
    /// and may name its record by @odata.id.
    /// </summary>
    private static IEnumerable<Entity> ReadTargets(WebApiContext api, EntityDefinition entity, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("Targets", out var targets) || targets.ValueKind != JsonValueKind.Array)
        {
            throw WebApiException.BadRequest("The body must be an object with 'Targets', an array of records: {\"Targets\":[{\"@odata.type\":\"Microsoft.Dynamics.CRM." +
                entity.LogicalName + "\", …}]}.");
        }

        var reader = new EntityBodyReader(api.Catalog);
        var expected = "Microsoft.Dynamics.CRM." + entity.LogicalName;
        var index = 0;
        foreach (var target in targets.EnumerateArray())
        {
            var type = target.ValueKind == JsonValueKind.Object && target.TryGetProperty("@odata.type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()!.TrimStart('#')
                : null;
            if (type != expected)
            {
                throw WebApiException.BadRequest(type is null
                    ? $"Targets[{index}] has no '@odata.type'; every target must carry \"@odata.type\":\"{expected}\"."
                    : $"Targets[{index}] has '@odata.type' '{type}'; every target of '{entity.EntitySetName}' must be \"{expected}\".");
            }

            Entity read;
            try
            {
                read = reader.Read(entity, target);
                if (target.TryGetProperty("@odata.id", out var odataId))
                {
                    read.Id = NamedId(api, entity, read, odataId);
                }
            }
            catch (WebApiException error)
            {
                throw new WebApiException(error.StatusCode, error.ErrorCode, $"Targets[{index}]: {error.Message}");
            }

            index++;
            yield return read;
        }
    }
}
