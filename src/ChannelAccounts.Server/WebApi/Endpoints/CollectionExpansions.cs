using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Query;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// $expand of collection-valued navigation properties (systemusers?$expand=user_msdyn_ocwhatsappchannelaccount(...)):
/// one RetrieveMultiple per expanded property for all the records being written, under the caller's row security,
/// grouped by the record each related row belongs to, at most the nested $top per record. Only when the related rows
/// of all the records exceed one page (5,000) is each record read on its own, so that every record still gets its own
/// first $top; a record with more than a page of related rows gets an empty array. Each array is followed by
/// nav@odata.nextLink, the URL of the record's related records with the nested options.
/// </summary>
public sealed class CollectionExpansions
{
    private sealed record Loaded(ODataCollectionExpand Expand, Dictionary<Guid, List<Entity>> ByRecord, HashSet<Guid> Incomplete)
    {
        /// <summary>The related records' own expanded collections (a nested $expand), loaded for all of them at once.</summary>
        public CollectionExpansions? Nested { get; set; }
    }

    private readonly List<Loaded> _loaded;

    private CollectionExpansions(List<Loaded> loaded) => _loaded = loaded;

    public static Task<CollectionExpansions?> LoadAsync(WebApiContext api, TranslatedQuery translated, IEnumerable<Entity> records) =>
        LoadAsync(api, translated.CollectionExpands, records);

    private static async Task<CollectionExpansions?> LoadAsync(WebApiContext api, IReadOnlyList<ODataCollectionExpand> expansions, IEnumerable<Entity> records)
    {
        if (expansions.Count == 0)
        {
            return null;
        }

        var ids = records.Select(r => r.Id).Distinct().ToList();
        var loaded = new List<Loaded>();
        foreach (var expand in expansions)
        {
            var related = expand.Related;
            var result = new Loaded(expand, [], []);
            loaded.Add(result);
            if (ids.Count == 0)
            {
                continue;
            }

            var query = Query(api, related, expand);
            var parentOf = related.NarrowToAny(query, ids);
            var page = await RetrieveAsync(api, query, expand);
            if (!page.MoreRecords)
            {
                foreach (var row in page.Entities)
                {
                    if (parentOf(row) is { } parent)
                    {
                        Add(result, parent, row);
                    }
                }

                continue;
            }

            // More related rows than a page: each record on its own, so one record's many rows do not crowd out the others'.
            foreach (var id in ids)
            {
                var own = Query(api, related, expand);
                related.Narrow(own, id);
                own.PageInfo.Count = Math.Min(expand.Top ?? QueryContext.MaxPageSize, QueryContext.MaxPageSize);
                var ownPage = await RetrieveAsync(api, own, expand);
                if (ownPage.MoreRecords && expand.Top is null)
                {
                    result.Incomplete.Add(id);
                    continue;
                }

                foreach (var row in ownPage.Entities)
                {
                    Add(result, id, row);
                }
            }
        }

        foreach (var result in loaded)
        {
            // One level down, for every related record of every record at once.
            result.Nested = await LoadAsync(api, result.Expand.CollectionExpands, result.ByRecord.Values.SelectMany(rows => rows));
        }

        return new CollectionExpansions(loaded);
    }

    private static QueryExpression Query(WebApiContext api, RelatedRecords related, ODataCollectionExpand expand)
    {
        var query = QueryCopy.Of(expand.Template);
        NameColumns.AddForAnnotations(api, related.Target, query.ColumnSet);
        VersionColumn.Require(query.ColumnSet);
        query.PageInfo.Count = QueryContext.MaxPageSize;
        return query;
    }

    private static async Task<EntityCollection> RetrieveAsync(WebApiContext api, QueryExpression query, ODataCollectionExpand expand)
    {
        var collection = ((RetrieveMultipleResponse)await api.ExecuteAsync(new RetrieveMultipleRequest { Query = query })).EntityCollection;
        foreach (var row in collection.Entities)
        {
            VersionColumn.HideUnlessSelected(row, expand.SelectedProperties);
        }

        return collection;
    }

    private static void Add(Loaded result, Guid parent, Entity row)
    {
        if (!result.ByRecord.TryGetValue(parent, out var list))
        {
            result.ByRecord[parent] = list = [];
        }

        if (result.Expand.Top is not { } top || list.Count < top)
        {
            list.Add(row);
        }
    }

    /// <summary>Each expanded property of one record: its related records, or an empty array and a nextLink to them.</summary>
    public void Write(Utf8JsonWriter writer, EntityJsonWriter rows, WebApiContext api, EntityDefinition entity, Guid recordId)
    {
        foreach (var loaded in _loaded)
        {
            var (expand, byRecord, incomplete) = loaded;
            var nested = loaded.Nested;
            rows.WriteLinksOf(writer, entity, recordId, expand.NavigationProperty);
            writer.WriteStartArray(expand.NavigationProperty);
            if (!incomplete.Contains(recordId) && byRecord.TryGetValue(recordId, out var related))
            {
                var expands = expand.Expands.Select(e => ExpandedNavigation.Of(e, api.Catalog)).ToList();
                var links = expand.SelectedProperties.Count == 0 ? NavigationLinks.AllOfType : NavigationLinks.OfHeldLookups;
                foreach (var row in related)
                {
                    rows.WriteEntity(writer, expand.Related.Target, row, expands, links: links,
                        extra: nested is null ? null : w => nested.Write(w, rows, api, expand.Related.Target, row.Id));
                }
            }

            writer.WriteEndArray();
            // Always, as Dataverse writes it ("Join tables using OData"): the related records' own collection with the
            // nested options, which a client can GET and page through; the only way to them when the array is empty
            // because one record has more than a page of them.
            writer.WriteString(expand.NavigationProperty + "@odata.nextLink",
                $"{api.EntityUri(entity, recordId)}/{expand.NavigationProperty}{QueryString(expand.NestedOptions, api.Http.Request.Query)}");
        }
    }

    /// <summary>The nested options, each value escaped on its own, and the request's parameter aliases they may use.</summary>
    private static string QueryString(IReadOnlyList<string> options, IQueryCollection request)
    {
        var parts = options.Select(option => option.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
            ? option[..eq] + "=" + Uri.EscapeDataString(option[(eq + 1)..])
            : option).ToList();
        foreach (var (name, values) in request.Where(p => p.Key.StartsWith('@')))
        {
            parts.AddRange(values.Select(value => name + "=" + Uri.EscapeDataString(value ?? "")));
        }

        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
