using System.Collections.Concurrent;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Server.WebApi;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Json;
using ChannelAccounts.Server.WebApi.Query;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.Hosting;

/// <summary>The EDM model built once from the catalog, and the query-option translation that uses it.</summary>
public sealed class ODataServices
{
    /// <summary>Distinct query strings kept; clients repeat a handful of shapes, so a full cache just starts over.</summary>
    private const int MaxCachedTranslations = 1_000;

    private readonly MetadataCatalog _catalog;
    private readonly ConcurrentDictionary<(string Entity, string QueryString), TranslatedQuery> _translations = new();
    private readonly ODataQueryTranslator _translator;

    public ODataServices(MetadataCatalog catalog)
    {
        _catalog = catalog;
        Model = ReferenceEquals(catalog, MetadataCatalog.Default) ? EdmModelBuilder.Default : EdmModelBuilder.Build(catalog);
        _translator = new ODataQueryTranslator(Model, catalog);
    }

    public IEdmModel Model { get; }

    /// <summary>
    /// The translation of a request's query options, from a cache keyed by the raw query string: parsing with
    /// ODataQueryOptionParser costs more than the rest of a Retrieve. Each call gets its own copy of the query,
    /// which endpoints extend. Only successful translations are kept; a bad query fails the same way every time.
    /// </summary>
    public TranslatedQuery Translate(EntityDefinition entity, HttpRequest request)
    {
        var queryString = request.QueryString.Value ?? "";
        // Each $skiptoken is used once: keeping it would only evict the shapes that repeat.
        if (queryString.Contains("skiptoken", StringComparison.OrdinalIgnoreCase))
        {
            return Translate(entity, request.Query);
        }

        var key = (entity.LogicalName, queryString);
        if (!_translations.TryGetValue(key, out var cached))
        {
            cached = Translate(entity, request.Query);
            if (_translations.Count >= MaxCachedTranslations)
            {
                _translations.Clear();
            }
            _translations[key] = cached;
        }

        return cached with { Query = QueryCopy.Of(cached.Query) };
    }

    /// <summary>The $apply of a GET on an entity set as an aggregate query; the other $options are refused alongside it.</summary>
    public Engine.Query.Aggregates.AggregateQuery TranslateApply(EntityDefinition entity, IQueryCollection query)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            ODataQueryOptions.RefuseNul(name, values.ToString());
            if (name.StartsWith('@'))
            {
                aliases[name] = values.ToString();
            }
            else if (name.StartsWith('$') && name != "$apply")
            {
                throw ODataQueryFaults.BadQuery($"The query parameter {name} cannot be combined with $apply.");
            }
        }

        if (query["$apply"].Count != 1)
        {
            throw ODataQueryFaults.BadQuery("Query option '$apply' was specified more than once, but it must be specified at most once.");
        }

        return new ApplyTranslator(entity, filter => _translator.TranslateFilter(entity, filter, aliases)).Translate(query["$apply"].ToString());
    }

    public TranslatedQuery Translate(EntityDefinition entity, IQueryCollection query)
    {
        var options = ODataQueryOptions.FromQuery(query.SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))));
        var result = _translator.Translate(entity, options);
        var expands = result.Expands.Select(e => ExpandedNavigation.Of(e, _catalog)).ToList();
        return new TranslatedQuery(result.Query, result.Count, result.SelectedProperties, expands, result.ContextProjection())
        {
            CollectionExpands = result.CollectionExpands,
        };
    }
}
