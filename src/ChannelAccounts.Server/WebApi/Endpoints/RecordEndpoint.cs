using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Query;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>GET of one record by key, with $select/$expand, ETag and If-None-Match.</summary>
public static class RecordEndpoint
{
    /// <summary>The options that shape a collection; on one record they would be dropped, so they are refused.</summary>
    private static readonly string[] CollectionOptions = ["$filter", "$orderby", "$count", "$skip", "$top"];

    public static async Task GetAsync(WebApiContext api, EntityDefinition entity, Guid id, TranslatedQuery translated)
    {
        if (CollectionOptions.Any(api.Http.Request.Query.ContainsKey))
        {
            // ASP.NET OData's words (Dataverse's Web API is built on it) for a collection option on one entity.
            throw ODataQueryFaults.BadQuery("The query specified in the URI is not valid. The requested resource is not a collection. " +
                "Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections.");
        }

        var record = await RetrieveAsync(api, entity, id, translated);
        var etag = EntityJsonWriter.ETag(record.RowVersion ?? "0");
        var http = api.Http;

        // Dataverse never answers 304 when $expand or annotations shape the body.
        if (translated.Expands.Count == 0 && translated.CollectionExpands.Count == 0 && !api.Prefer.AnyAnnotations
            && NoneMatchNames(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            http.Response.Headers.ETag = etag;
            return;
        }

        http.Response.Headers.ETag = etag;
        await WriteAsync(api, entity, record, translated, StatusCodes.Status200OK);
    }

    public static async Task<Entity> RetrieveAsync(WebApiContext api, EntityDefinition entity, Guid id, TranslatedQuery translated)
    {
        var columns = translated.Query.ColumnSet;
        NameColumns.AddForAnnotations(api, entity, columns);
        VersionColumn.Require(columns);

        var response = (RetrieveResponse)await api.ExecuteAsync(new RetrieveRequest
        {
            Target = new EntityReference(entity.LogicalName, id),
            ColumnSet = columns,
            // A record by key ignores $filter, as in Dataverse, so the joins of its lookup paths are left out too.
            LinkEntities = translated.Query.LinkEntities.Count == 0
                ? translated.Query.LinkEntities
                : [.. translated.Query.LinkEntities.Where(l => l.EntityAlias?.StartsWith(Query.FilterTranslator.LinkAliasPrefix, StringComparison.Ordinal) != true)],
        });
        return response.Entity;
    }

    /// <summary>
    /// Whether If-None-Match lists the record's ETag: one tag or a comma-separated list of them, compared weakly as
    /// RFC 9110 asks for If-None-Match (W/"35" and "35" both name version 35).
    /// </summary>
    private static bool NoneMatchNames(HttpRequest request, string etag)
    {
        if (!Microsoft.Net.Http.Headers.EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var tags))
        {
            return false;
        }

        var current = Microsoft.Net.Http.Headers.EntityTagHeaderValue.Parse(etag);
        return tags.Any(tag => tag.Compare(current, useStrongComparison: false));
    }

    /// <summary>Writes one record with its @odata.context; the version number shows only when it was selected.</summary>
    public static async Task WriteAsync(WebApiContext api, EntityDefinition entity, Entity record, TranslatedQuery translated, int status)
    {
        var http = api.Http;
        VersionColumn.HideUnlessSelected(record, translated);

        if (api.Prefer.AnyAnnotations)
        {
            PreferHeader.Applied(http.Response, $"odata.include-annotations=\"{api.Prefer.IncludeAnnotations}\"");
        }

        http.Response.StatusCode = status;
        http.Response.ContentType = api.JsonContentType;
        http.Response.Headers["OData-Version"] = "4.0";
        var context = api.WritesContext ? api.MetadataUri(ContextFragment.For(entity, translated) + "/$entity") : null;
        var expansions = await CollectionExpansions.LoadAsync(api, translated, [record]);
        var rows = EntityJsonWriter.For(api);
        var links = api.Metadata == MetadataLevel.Full ? NavigationLinks.Of(translated) : null;
        await JsonOutput.WriteAsync(http.Response, writer => rows.WriteEntity(writer, entity, record, translated.Expands, context,
            extra: expansions is null ? null : w => expansions.Write(w, rows, api, entity, record.Id), links), api.Aborted);
    }
}
