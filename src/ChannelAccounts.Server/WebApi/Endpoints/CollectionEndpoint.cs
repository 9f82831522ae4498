using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>GET on an entity set: RetrieveMultiple with $filter, $orderby, $top, $count, $expand and keyset paging.</summary>
public static class CollectionEndpoint
{
    public static async Task GetAsync(WebApiContext api, EntityDefinition entity, TranslatedQuery translated)
    {
        var http = api.Http;
        var query = translated.Query;
        NameColumns.AddForAnnotations(api, entity, query.ColumnSet);
        VersionColumn.Require(query.ColumnSet);
        var collection = await RetrievePageAsync(api, translated);
        // Before the first byte: a fault of the related records' query is then an error response, not a cut-off body.
        var expansions = await CollectionExpansions.LoadAsync(api, translated, collection.Entities);

        if (api.Prefer.AnyAnnotations)
        {
            PreferHeader.Applied(http.Response, $"odata.include-annotations=\"{api.Prefer.IncludeAnnotations}\"");
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = api.JsonContentType;
        http.Response.Headers["OData-Version"] = "4.0";
        await using var body = new JsonBody(http.Response);
        var writer = body.Writer;
        var rows = EntityJsonWriter.For(api);
        var links = api.Metadata == MetadataLevel.Full ? NavigationLinks.Of(translated) : null;
        writer.WriteStartObject();
        if (api.WritesContext)
        {
            writer.WriteString("@odata.context", api.MetadataUri(ContextFragment.For(entity, translated)));
        }

        if (api.Prefer.Includes(Annotations.TotalRecordCount))
        {
            writer.WriteNumber("@" + Annotations.TotalRecordCount, collection.TotalRecordCount);
        }

        if (api.Prefer.Includes(Annotations.TotalRecordCountLimitExceeded))
        {
            writer.WriteBoolean("@" + Annotations.TotalRecordCountLimitExceeded, collection.TotalRecordCountLimitExceeded);
        }

        if (translated.Count)
        {
            writer.WritePropertyName("@odata.count");
            EntityJsonWriter.WriteValue(writer, (long)collection.TotalRecordCount, api.Ieee754Compatible); // Edm.Int64
        }

        writer.WriteStartArray("value");
        foreach (var record in collection.Entities)
        {
            VersionColumn.HideUnlessSelected(record, translated);
            rows.WriteEntity(writer, entity, record, translated.Expands,
                extra: expansions is null ? null : w => expansions.Write(w, rows, api, entity, record.Id), links: links);
            await body.RecordWrittenAsync(api.Aborted);
        }

        writer.WriteEndArray();
        WriteNextLink(writer, api, query, collection);
        writer.WriteEndObject();
        await body.CompleteAsync(api.Aborted);
    }

    /// <summary>
    /// GET record/navigation/$ref: the related records as references ({"@odata.id": uri}), filtered, ordered and paged
    /// as the records themselves would be.
    /// </summary>
    public static async Task GetReferencesAsync(WebApiContext api, EntityDefinition entity, TranslatedQuery translated)
    {
        // A reference is the id alone: $select and $expand have nothing to add to it.
        translated.Query.ColumnSet = new Sdk.ColumnSet(entity.PrimaryIdAttribute);
        var expanded = translated.Expands.SelectMany(e => e.Links.Select(l => l.Alias)).ToHashSet(StringComparer.Ordinal);
        translated.Query.LinkEntities.RemoveAll(l => l.EntityAlias is { } alias && expanded.Contains(alias));
        var collection = await RetrievePageAsync(api, translated);
        api.Http.Response.StatusCode = StatusCodes.Status200OK;
        api.Http.Response.ContentType = api.JsonContentType;
        api.Http.Response.Headers["OData-Version"] = "4.0";
        await using var body = new JsonBody(api.Http.Response);
        var writer = body.Writer;
        writer.WriteStartObject();
        if (api.WritesContext)
        {
            writer.WriteString("@odata.context", api.MetadataUri("Collection($ref)"));
        }

        writer.WriteStartArray("value");
        foreach (var record in collection.Entities)
        {
            writer.WriteStartObject();
            writer.WriteString("@odata.id", api.EntityUri(entity, record.Id));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        WriteNextLink(writer, api, translated.Query, collection);
        writer.WriteEndObject();
        await body.CompleteAsync(api.Aborted);
    }

    /// <summary>One page of the query: odata.maxpagesize (Dataverse then ignores $top), $count and the $skiptoken applied.</summary>
    private static async Task<Sdk.EntityCollection> RetrievePageAsync(WebApiContext api, TranslatedQuery translated)
    {
        var http = api.Http;
        var query = translated.Query;
        var pageSize = Math.Min(api.Prefer.MaxPageSize ?? QueryContext.MaxPageSize, QueryContext.MaxPageSize);
        if (api.Prefer.MaxPageSize is not null)
        {
            query.TopCount = null; // Dataverse ignores $top when odata.maxpagesize is sent
            PreferHeader.Applied(http.Response, $"odata.maxpagesize={pageSize}");
        }

        query.PageInfo.Count = query.TopCount is { } top ? Math.Min(top, pageSize) : pageSize;
        query.PageInfo.ReturnTotalRecordCount = translated.Count;
        if (http.Request.Query.TryGetValue("$skiptoken", out var skipToken))
        {
            (query.PageInfo.PageNumber, query.PageInfo.PagingCookie) = SkipToken.Parse(skipToken.ToString());
        }

        return ((RetrieveMultipleResponse)await api.ExecuteAsync(new RetrieveMultipleRequest { Query = query })).EntityCollection;
    }

    private static void WriteNextLink(Utf8JsonWriter writer, WebApiContext api, Sdk.Query.QueryExpression query, Sdk.EntityCollection collection)
    {
        if (collection.MoreRecords && collection.PagingCookie is not null && query.TopCount is null)
        {
            writer.WriteString("@odata.nextLink", NextLink(api, query.PageInfo.PageNumber + 1, collection.PagingCookie));
        }
    }

    /// <summary>GET set/$count: the number of matching rows as text, up to Dataverse's 5,000 limit.</summary>
    public static async Task CountAsync(WebApiContext api, TranslatedQuery translated)
    {
        var query = translated.Query;
        query.PageInfo.Count = 1;
        query.PageInfo.ReturnTotalRecordCount = true;
        var response = (RetrieveMultipleResponse)await api.ExecuteAsync(new RetrieveMultipleRequest { Query = query });
        api.Http.Response.ContentType = "text/plain";
        api.Http.Response.Headers["OData-Version"] = "4.0";
        await api.Http.Response.WriteAsync(response.EntityCollection.TotalRecordCount.ToString(System.Globalization.CultureInfo.InvariantCulture), api.Aborted);
    }

    private static string NextLink(WebApiContext api, int nextPage, string pagingCookie)
    {
        var request = api.Http.Request;
        var parameters = QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => p.Key != "$skiptoken")
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
            .Append(new KeyValuePair<string, string?>("$skiptoken", SkipToken.Create(nextPage, pagingCookie)));
        var path = request.Path.Value!.TrimStart('/');
        var relative = path[(path.IndexOf('/', "api/data/".Length) + 1)..];
        return QueryHelpers.AddQueryString(api.ServiceRoot + relative, parameters);
    }
}
