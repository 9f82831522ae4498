using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Query;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// $expand of collection-valued navigation properties (systemusers?$expand=user_msdyn_ocwhatsappchannelaccount(...)):
/// one RetrieveMultiple per expanded property for all the records being written (never one per record), under the
/// caller's row security, grouped by the record each related row belongs to, at most the nested $top per record.
/// When a page's related records exceed one page of their own (5,000), no record gets a part of its list: each gets
/// an empty array and nav@odata.nextLink to its own related records, which pages as any collection does.
/// </summary>
public sealed class CollectionExpansions
{
    private sealed record Loaded(ODataCollectionExpand Expand, EntityDefinition Target, Dictionary<Guid, List<Entity>> ByRecord, bool Complete);

    private readonly List<Loaded> _loaded;

    private CollectionExpansions(List<Loaded> loaded) => _loaded = loaded;

    public static async Task<CollectionExpansions?> LoadAsync(WebApiContext api, EntityDefinition entity, TranslatedQuery translated,
        IEnumerable<Entity> records)
    {
        if (translated.CollectionExpands.Count == 0)
        {
            return null;
        }

        var ids = records.Select(r => r.Id).Distinct().ToList();
        var loaded = new List<Loaded>();
        foreach (var expand in translated.CollectionExpands)
        {
            var related = RelatedRecords.Of(api.Catalog, entity, expand.NavigationProperty)
                ?? throw new InvalidOperationException($"'{expand.NavigationProperty}' was translated but names no related records.");
            var byRecord = new Dictionary<Guid, List<Entity>>();
            if (ids.Count == 0)
            {
                loaded.Add(new Loaded(expand, related.Target, byRecord, Complete: true));
                continue;
            }

            var query = QueryCopy.Of(expand.Template);
            var parentOf = related.NarrowToAny(query, ids);
            var versionShown = expand.SelectedProperties.Count == 0 || expand.SelectedProperties.Contains(VersionColumn.Name);
            NameColumns.AddForAnnotations(api, related.Target, query.ColumnSet);
            VersionColumn.Require(query.ColumnSet);
            query.PageInfo.Count = QueryContext.MaxPageSize;
            var response = (RetrieveMultipleResponse)await api.ExecuteAsync(new RetrieveMultipleRequest { Query = query });
            foreach (var row in response.EntityCollection.Entities)
            {
                if (parentOf(row) is not { } parent)
                {
                    continue;
                }

                if (!versionShown)
                {
                    row.Attributes.Remove(VersionColumn.Name);
                }

                if (!byRecord.TryGetValue(parent, out var list))
                {
                    byRecord[parent] = list = [];
                }

                if (expand.Top is not { } top || list.Count < top)
                {
                    list.Add(row);
                }
            }

            loaded.Add(new Loaded(expand, related.Target, byRecord, Complete: !response.EntityCollection.MoreRecords));
        }

        return new CollectionExpansions(loaded);
    }

    /// <summary>Each expanded property of one record: its related records, or an empty array and a nextLink to them.</summary>
    public void Write(Utf8JsonWriter writer, EntityJsonWriter rows, WebApiContext api, EntityDefinition entity, Guid recordId)
    {
        foreach (var (expand, target, byRecord, complete) in _loaded)
        {
            writer.WriteStartArray(expand.NavigationProperty);
            if (complete && byRecord.TryGetValue(recordId, out var related))
            {
                foreach (var row in related)
                {
                    rows.WriteEntity(writer, target, row);
                }
            }

            writer.WriteEndArray();
            if (!complete)
            {
                writer.WriteString(expand.NavigationProperty + "@odata.nextLink",
                    $"{api.ServiceRoot}{entity.EntitySetName}({recordId})/{expand.NavigationProperty}{QueryString(expand.NestedOptions)}");
            }
        }
    }

    private static string QueryString(string options) => options.Length == 0
        ? ""
        : "?" + string.Join('&', options.Split('&').Select(option => option.IndexOf('=', StringComparison.Ordinal) is var eq and > 0
            ? option[..eq] + "=" + Uri.EscapeDataString(option[(eq + 1)..])
            : option));
}
