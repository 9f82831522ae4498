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
    private readonly MetadataCatalog _catalog;
    private readonly ODataQueryTranslator _translator;

    public ODataServices(MetadataCatalog catalog)
    {
        _catalog = catalog;
        Model = ReferenceEquals(catalog, MetadataCatalog.Default) ? EdmModelBuilder.Default : EdmModelBuilder.Build(catalog);
        _translator = new ODataQueryTranslator(Model, catalog);
    }

    public IEdmModel Model { get; }

    /// <summary>The $apply of a GET on an entity set as an aggregate query; the other $options are refused alongside it.</summary>
    public Engine.Query.Aggregates.AggregateQuery TranslateApply(EntityDefinition entity, IQueryCollection query)
    {
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
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
        var expands = result.Expands
            .Select(e => new ExpandedNavigation(e.NavigationProperty,
                e.Targets.Select(t => new ExpandedLink(t.EntityAlias, _catalog[t.EntityName], t.Columns)).ToList()))
            .ToList();
        return new TranslatedQuery(result.Query, result.Count, result.SelectedProperties, expands, result.ContextProjection());
    }
}
