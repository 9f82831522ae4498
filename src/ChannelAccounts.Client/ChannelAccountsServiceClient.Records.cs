using System.Net;
using System.Text.Json;
using ChannelAccounts.Client.Http;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Client.Query;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client;

/// <summary>Create, Retrieve, Update, Upsert, Delete and RetrieveMultiple in their Web API forms.</summary>
public sealed partial class ChannelAccountsServiceClient
{
    private static readonly Dictionary<string, string> Annotations = new() { ["Prefer"] = IncludeAnnotations };

    /// <summary>
    /// POST set → 204 with OData-EntityId: …/set(id). With assignId, a target without an id is sent with a new one (as
    /// the engine would give it), so the response is known even when a stopped $batch drops the answer.
    /// </summary>
    private static MessageForm CreateForm(CreateRequest request, ServiceMetadata metadata, bool assignId)
    {
        var target = WithId(request.Target ?? throw new ArgumentException("CreateRequest.Target is required."), metadata, assignId);
        var call = new WebApiCall(HttpMethod.Post, metadata.EntitySet(target.LogicalName), EntityJson.Write(target, metadata, includeKey: true));
        return target.Id != Guid.Empty
            ? MessageForm.Of([call], () => new CreateResponse { ResponseName = "Create", id = target.Id })
            : MessageForm.One(call, answer => new CreateResponse { ResponseName = "Create", id = IdOf(answer) });
    }

    /// <summary>The target with Id set from its key column, or to a new id with assignId; the caller's entity is left as it is.</summary>
    private static Entity WithId(Entity target, ServiceMetadata metadata, bool assignId)
    {
        var key = metadata.Table(target.LogicalName).PrimaryIdAttribute;
        var id = target.Id != Guid.Empty ? target.Id : target.GetAttributeValue<Guid?>(key) ?? (assignId ? Guid.NewGuid() : Guid.Empty);
        if (id == target.Id)
        {
            return target;
        }

        var copy = new Entity(target.LogicalName, id);
        foreach (var (name, value) in target.Attributes)
        {
            copy[name] = value;
        }

        return copy;
    }

    private static MessageForm RetrieveForm(RetrieveRequest request, ServiceMetadata metadata)
    {
        var target = request.Target ?? throw new ArgumentException("RetrieveRequest.Target is required.");
        if (request.LinkEntities.Count > 0)
        {
            throw new NotSupportedException("RetrieveRequest.LinkEntities ($expand) is not supported by the Web API client.");
        }

        var table = metadata.Table(target.LogicalName);
        var path = $"{table.EntitySet}({target.Id})";
        if (!request.ColumnSet.AllColumns)
        {
            path += "?$select=" + string.Join(',', (request.ColumnSet.Columns.Count == 0 ? [table.PrimaryIdAttribute] : request.ColumnSet.Columns).Select(table.ODataName));
        }

        return MessageForm.One(new WebApiCall(HttpMethod.Get, path, Headers: Annotations), answer =>
        {
            using var document = answer.Json();
            var entity = EntityJson.Read(document.RootElement, table);
            entity.Id = target.Id;
            return new RetrieveResponse { ResponseName = "Retrieve", Entity = entity };
        });
    }

    /// <summary>PATCH with If-Match: * (never creates), or the record's ETag for IfRowVersionMatches.</summary>
    private static MessageForm UpdateForm(UpdateRequest request, ServiceMetadata metadata)
    {
        var target = request.Target ?? throw new ArgumentException("UpdateRequest.Target is required.");
        var ifMatch = request.ConcurrencyBehavior == ConcurrencyBehavior.IfRowVersionMatches
            ? $"W/\"{target.RowVersion ?? throw new ArgumentException("IfRowVersionMatches needs Target.RowVersion.")}\""
            : "*";
        return MessageForm.Of([PatchCall(metadata, target.LogicalName, IdOf(target), target, ifMatch)], () => new UpdateResponse { ResponseName = "Update" });
    }

    /// <summary>
    /// Upsert alone: PATCH with If-None-Match: * (create); when the record exists (412), PATCH with If-Match: * (update).
    /// Two requests, so RecordCreated is exact against any Dataverse-shaped server.
    /// </summary>
    private async Task<OrganizationResponse> UpsertCoreAsync(UpsertRequest request, CancellationToken cancellationToken)
    {
        var metadata = await MetadataAsync(cancellationToken);
        var target = request.Target ?? throw new ArgumentException("UpsertRequest.Target is required.");
        var id = IdOf(target);
        var path = $"{metadata.EntitySet(target.LogicalName)}({id})";
        var body = EntityJson.Write(target, metadata, includeKey: false);
        using (var created = await _transport.SendAsync(HttpMethod.Patch, path, body,
            new Dictionary<string, string> { ["If-None-Match"] = "*" }, cancellationToken, passThrough: HttpStatusCode.PreconditionFailed))
        {
            if (created.StatusCode != HttpStatusCode.PreconditionFailed)
            {
                return new UpsertResponse { ResponseName = "Upsert", RecordCreated = true, Target = new(target.LogicalName, id) };
            }
        }

        using var updated = await _transport.SendAsync(HttpMethod.Patch, path, body, new Dictionary<string, string> { ["If-Match"] = "*" }, cancellationToken);
        return new UpsertResponse { ResponseName = "Upsert", RecordCreated = false, Target = new(target.LogicalName, id) };
    }

    /// <summary>
    /// Upsert inside a $batch, where a second request cannot depend on the first: one unconditional PATCH with
    /// return=representation, answered 201 when it created the record and 200 when it updated it.
    /// </summary>
    private static MessageForm UpsertForm(UpsertRequest request, ServiceMetadata metadata)
    {
        var target = request.Target ?? throw new ArgumentException("UpsertRequest.Target is required.");
        var id = IdOf(target);
        var table = metadata.Table(target.LogicalName);
        var call = new WebApiCall(HttpMethod.Patch, $"{metadata.EntitySet(target.LogicalName)}({id})?$select={table.PrimaryIdAttribute}",
            EntityJson.Write(target, metadata, includeKey: false), new Dictionary<string, string> { ["Prefer"] = "return=representation" });
        return MessageForm.One(call, answer => new UpsertResponse
        {
            ResponseName = "Upsert",
            RecordCreated = answer.StatusCode == (int)HttpStatusCode.Created,
            Target = new(target.LogicalName, id),
        });
    }

    private static MessageForm DeleteForm(DeleteRequest request, ServiceMetadata metadata)
    {
        var target = request.Target ?? throw new ArgumentException("DeleteRequest.Target is required.");
        var headers = request.ConcurrencyBehavior == ConcurrencyBehavior.IfRowVersionMatches
            ? new Dictionary<string, string> { ["If-Match"] = $"W/\"{request.RowVersion}\"" }
            : null;
        return MessageForm.Of([new WebApiCall(HttpMethod.Delete, $"{metadata.EntitySet(target.LogicalName)}({target.Id})", Headers: headers)],
            () => new DeleteResponse { ResponseName = "Delete" });
    }

    /// <summary>
    /// GET set?$select&amp;$filter&amp;$orderby&amp;$top&amp;$count with Prefer: odata.maxpagesize = PageInfo.Count. The next page's
    /// @odata.nextLink is the PagingCookie; giving it back in PageInfo.PagingCookie fetches that page. A FetchExpression,
    /// a QueryExpression the query options cannot express (links, column comparisons), or a numbered page without a
    /// cookie goes as GET set?fetchXml=….
    /// </summary>
    private MessageForm RetrieveMultipleForm(RetrieveMultipleRequest request, ServiceMetadata metadata)
    {
        var query = request.Query switch
        {
            QueryExpression expression => expression,
            QueryByAttribute byAttribute => byAttribute.ToQueryExpression(),
            FetchExpression => null,
            null => throw new ArgumentException("RetrieveMultipleRequest.Query is required."),
            var other => throw new NotSupportedException($"A {other.GetType().Name} query is not supported by the Web API client."),
        };
        var nextLink = query?.PageInfo.PagingCookie is { } cookie && cookie.StartsWith(ServiceRoot.ToString(), StringComparison.OrdinalIgnoreCase)
            ? cookie
            : null;
        // FetchXML also takes a numbered page without a cookie (the Web API refuses $skip) and its own paging cookie.
        if (query is null || ODataQueryBuilder.NeedsFetchXml(query) || (nextLink is null && query.PageInfo.PageNumber > 1))
        {
            var page = FetchXmlPage.Of(query is null ? ((FetchExpression)request.Query!).Query : QueryExpressionToFetchXml.Convert(query), metadata);
            return MessageForm.One(new WebApiCall(HttpMethod.Get, page.Path, Headers: Annotations),
                answer => new RetrieveMultipleResponse { ResponseName = "RetrieveMultiple", EntityCollection = page.Read(answer) });
        }

        var table = metadata.Table(query.EntityName);
        var path = nextLink ?? ODataQueryBuilder.AppendOptions(table.EntitySet!, ODataQueryBuilder.Build(query, table));
        var prefer = IncludeAnnotations + (query.PageInfo.Count > 0 ? $",odata.maxpagesize={query.PageInfo.Count}" : "");
        return MessageForm.One(new WebApiCall(HttpMethod.Get, path, Headers: new Dictionary<string, string> { ["Prefer"] = prefer }),
            answer => new RetrieveMultipleResponse { ResponseName = "RetrieveMultiple", EntityCollection = ReadPage(answer, table) });
    }

    private static EntityCollection ReadPage(WebApiAnswer answer, TableShape table)
    {
        using var document = answer.Json();
        var root = document.RootElement;
        var entities = new List<Entity>();
        foreach (var record in root.GetProperty("value").EnumerateArray())
        {
            entities.Add(EntityJson.Read(record, table));
        }

        var nextLink = root.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
        return new EntityCollection(entities)
        {
            EntityName = table.LogicalName,
            MoreRecords = nextLink is not null,
            PagingCookie = nextLink,
            TotalRecordCount = root.TryGetProperty("@odata.count", out var count) ? count.GetInt32() : -1,
            TotalRecordCountLimitExceeded = root.TryGetProperty("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded", out var exceeded)
                && exceeded.ValueKind == JsonValueKind.True,
        };
    }

    private static WebApiCall PatchCall(ServiceMetadata metadata, string logicalName, Guid id, Entity values, string ifMatch) =>
        new(HttpMethod.Patch, $"{metadata.EntitySet(logicalName)}({id})", EntityJson.Write(values, metadata, includeKey: false),
            new Dictionary<string, string> { ["If-Match"] = ifMatch });

    private static Guid IdOf(Entity target)
    {
        var key = target.LogicalName + "id";
        var id = target.Id != Guid.Empty ? target.Id : target.GetAttributeValue<Guid?>(key) ?? Guid.Empty;
        return id != Guid.Empty ? id : throw new ArgumentException($"The {target.LogicalName} record has no id (Entity.Id or '{key}').");
    }

    /// <summary>The id in OData-EntityId (…/set(id)).</summary>
    private static Guid IdOf(WebApiAnswer answer)
    {
        var text = answer.Header("OData-EntityId") ?? "";
        var open = text.LastIndexOf('(');
        return open >= 0 && Guid.TryParse(text.AsSpan(open + 1, text.Length - open - 2), out var id)
            ? id
            : throw new InvalidOperationException($"The server answered a create without the record's id in OData-EntityId ('{text}').");
    }
}
