using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Query.FetchXml;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Json;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// GET set?fetchXml=…: RetrieveMultiple with a FetchXML query. Rows omit null columns; linked columns come back as
/// "alias.column"; page/count/paging-cookie page by keyset and, when Prefer asks, the response carries
/// @Microsoft.Dynamics.CRM.fetchxmlpagingcookie and @Microsoft.Dynamics.CRM.morerecords (absent on the last page).
/// </summary>
public static class FetchXmlEndpoint
{
    public const string PagingCookieAnnotation = "Microsoft.Dynamics.CRM.fetchxmlpagingcookie";
    public const string MoreRecordsAnnotation = "Microsoft.Dynamics.CRM.morerecords";

    public static async Task GetAsync(WebApiContext api, EntityDefinition entity, string fetchXml)
    {
        var parsed = FetchXmlParser.Parse(fetchXml);
        var name = parsed.Query?.EntityName ?? parsed.Aggregate!.EntityName;
        if (name != entity.LogicalName)
        {
            throw Engine.Pipeline.DataverseFault.InvalidArgument(
                $"The FetchXML queries '{name}', but the request is on the entity set '{entity.EntitySetName}' of '{entity.LogicalName}'.");
        }

        if (parsed.Aggregate is { } aggregate)
        {
            var groups = (RetrieveMultipleResponse)await api.ExecuteAsync(new RetrieveMultipleRequest { Query = aggregate });
            await AggregateRows.WriteAsync(api, entity, groups.EntityCollection);
            return;
        }

        var query = parsed.Query!;
        query.PageInfo.Count = query.TopCount is null ? Math.Min(query.PageInfo.Count <= 0 ? QueryContext.MaxPageSize : query.PageInfo.Count, QueryContext.MaxPageSize) : 0;
        // As on the OData path: every row carries @odata.etag, and lookups their names when FormattedValue is asked for.
        // Distinct values (distinct="true" without the id) are combinations of the asked columns, not records: nothing is
        // added to them, or the added columns would split the combinations.
        var versionSelected = query.ColumnSet.AllColumns || query.ColumnSet.Columns.Contains(VersionColumn.Name);
        if (!Engine.Query.Aggregates.DistinctValues.Applies(query, entity))
        {
            NameColumns.AddForAnnotations(api, entity, query.ColumnSet);
            foreach (var link in LinkTree.All(query.LinkEntities))
            {
                // A linked lookup's name is its formatted value too ("alias.createdby@…FormattedValue", as Dataverse answers).
                if (api.Catalog.TryGetByLogicalName(link.LinkToEntityName, out var linked))
                {
                    NameColumns.AddForAnnotations(api, linked, link.Columns);
                }
            }
            VersionColumn.Require(query.ColumnSet);
        }
        var response = (RetrieveMultipleResponse)await api.ExecuteAsync(new RetrieveMultipleRequest { Query = query });
        var collection = response.EntityCollection;
        if (parsed.ColumnAliases is { } aliases)
        {
            // <attribute name='createdby' alias='whocreated' />: the column comes back under its alias, as Dataverse writes it.
            foreach (var record in collection.Entities)
            {
                aliases.Apply(record, entity.PrimaryIdAttribute);
            }
        }
        var http = api.Http;
        if (api.Prefer.AnyAnnotations)
        {
            PreferHeader.Applied(http.Response, $"odata.include-annotations=\"{api.Prefer.IncludeAnnotations}\"");
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = api.JsonContentType;
        http.Response.Headers["OData-Version"] = "4.0";
        await using var body = new JsonBody(http.Response);
        var writer = body.Writer;
        writer.WriteStartObject();
        if (api.WritesContext)
        {
            writer.WriteString("@odata.context", api.MetadataUri(entity.EntitySetName));
        }

        if (query.PageInfo.ReturnTotalRecordCount && api.Prefer.Includes(Annotations.TotalRecordCount))
        {
            writer.WriteNumber("@" + Annotations.TotalRecordCount, collection.TotalRecordCount);
        }

        if (query.PageInfo.ReturnTotalRecordCount && api.Prefer.Includes(Annotations.TotalRecordCountLimitExceeded))
        {
            writer.WriteBoolean("@" + Annotations.TotalRecordCountLimitExceeded, collection.TotalRecordCountLimitExceeded);
        }

        if (collection.MoreRecords)
        {
            if (api.Prefer.Includes(PagingCookieAnnotation))
            {
                // Without a keyset (a link repeats records) the next page is asked for by its number alone.
                var page = Math.Max(1, query.PageInfo.PageNumber);
                writer.WriteString("@" + PagingCookieAnnotation, collection.PagingCookie is { } keyset
                    ? FetchPagingCookie.Annotation(page, keyset)
                    : FetchPagingCookie.PageNumberOnly(page));
            }

            if (api.Prefer.Includes(MoreRecordsAnnotation))
            {
                writer.WriteBoolean("@" + MoreRecordsAnnotation, true);
            }
        }

        writer.WriteStartArray("value");
        var rows = EntityJsonWriter.For(api);
        foreach (var record in collection.Entities)
        {
            var linked = record.Attributes.Where(a => a.Value is AliasedValue).ToList();
            foreach (var key in record.Attributes.Where(a => a.Value is null or AliasedValue).Select(a => a.Key).ToList())
            {
                record.Attributes.Remove(key); // FetchXML rows omit null columns
            }

            if (!versionSelected)
            {
                record.Attributes.Remove(VersionColumn.Name);
            }

            rows.WriteEntity(writer, entity, record, extra: w => WriteLinked(w, linked, record.FormattedValues, api, rows));
            await body.RecordWrittenAsync(api.Aborted);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await body.CompleteAsync(api.Aborted);
    }

    /// <summary>How '.' between a link's alias and its column is written in a property name (XML's encoding of U+002E).</summary>
    public const string LinkedColumnSeparator = "_x002e_";

    /// <summary>
    /// A linked table's columns, each after the annotations asked for (the linked column's own name, its formatted
    /// value, a lookup's table). The SDK's "alias.column" is written "alias_x002e_column", as Dataverse writes it: an
    /// OData property name holds no '.', and clients (DynamicsWebApi) split the encoded form back into alias and column.
    /// </summary>
    private static void WriteLinked(Utf8JsonWriter writer, List<KeyValuePair<string, object?>> linked,
        IReadOnlyDictionary<string, string> formattedValues, WebApiContext api, EntityJsonWriter rows)
    {
        var prefer = api.Prefer;
        foreach (var (aliasDotColumn, value) in linked)
        {
            if (value is AliasedValue { Value: { } inner } aliased)
            {
                var key = aliasDotColumn.Replace(".", LinkedColumnSeparator, StringComparison.Ordinal);
                if (prefer.Includes(Annotations.AttributeName))
                {
                    writer.WriteString(key + "@" + Annotations.AttributeName, aliased.AttributeLogicalName);
                }

                if (formattedValues.TryGetValue(aliasDotColumn, out var formatted) && prefer.Includes(Annotations.FormattedValue))
                {
                    writer.WriteString(key + "@" + Annotations.FormattedValue, formatted);
                }

                if (inner is EntityReference reference && prefer.Includes(Annotations.LookupLogicalName))
                {
                    writer.WriteString(key + "@" + Annotations.LookupLogicalName, reference.LogicalName);
                }

                if (api.Metadata == MetadataLevel.Full && api.Catalog.TryGetByLogicalName(aliased.EntityLogicalName, out var table)
                    && table.TryGetAttribute(aliased.AttributeLogicalName, out var column))
                {
                    rows.WriteTypeOf(writer, key, column);
                }

                writer.WritePropertyName(key);
                EntityJsonWriter.WriteValue(writer, inner, api.Ieee754Compatible);
            }
        }
    }
}
