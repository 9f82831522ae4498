using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Edm;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// Turns the OData query options of a GET on an entity set into a QueryExpression. Parsing is Microsoft.OData.Core's
/// against the EDM model, so its error texts ("Could not find a property named 'x' on type '…'.") are the ones
/// Dataverse returns; every bad query becomes an OrganizationServiceFaultException with code 0x0.
/// </summary>
public sealed class ODataQueryTranslator(IEdmModel model, MetadataCatalog catalog)
{
    public static ODataQueryTranslator Default { get; } = new(EdmModelBuilder.Default, MetadataCatalog.Default);

    /// <exception cref="Sdk.Faults.OrganizationServiceFaultException">The query is not valid or not supported.</exception>
    public ODataQueryResult Translate(EntityDefinition entity, ODataQueryOptions options)
    {
        if (options.Skip is not null)
        {
            throw ODataQueryFaults.SkipNotSupported();
        }

        var set = model.EntityContainer.FindEntitySet(entity.EntitySetName)
            ?? throw new ArgumentException($"The table '{entity.LogicalName}' has no entity set in the model.", nameof(entity));
        var parser = new ODataQueryOptionParser(model, set.EntityType, set, options.ToParserOptions())
        {
            Resolver = new DataverseUriResolver(),
        };

        try
        {
            return Translate(entity, parser, options);
        }
        catch (Exception e) when (ODataQueryFaults.IsParserFailure(e))
        {
            throw ODataQueryFaults.BadQuery(ODataQueryFaults.ParserFailureMessage(e));
        }
    }

    /// <summary>One $filter expression (inside $apply's filter(...)) as a FilterExpression; aliases as in ODataQueryOptions.</summary>
    public FilterExpression TranslateFilter(EntityDefinition entity, string filter, IReadOnlyDictionary<string, string>? aliases)
    {
        var set = model.EntityContainer.FindEntitySet(entity.EntitySetName)
            ?? throw new ArgumentException($"The table '{entity.LogicalName}' has no entity set in the model.", nameof(entity));
        var options = new ODataQueryOptions(Filter: filter, Aliases: aliases).ToParserOptions();
        var parser = new ODataQueryOptionParser(model, set.EntityType, set, options) { Resolver = new DataverseUriResolver() };
        try
        {
            return parser.ParseFilter() is { } node
                ? new FilterTranslator(entity, parser.ParameterAliasNodes).Translate(node)
                : new FilterExpression();
        }
        catch (Exception e) when (ODataQueryFaults.IsParserFailure(e))
        {
            throw ODataQueryFaults.BadQuery(ODataQueryFaults.ParserFailureMessage(e));
        }
    }

    private ODataQueryResult Translate(EntityDefinition entity, ODataQueryOptionParser parser, ODataQueryOptions options)
    {
        var selectExpand = new SelectExpandTranslator(entity, catalog, parser.ParameterAliasNodes, options.Expand).Translate(ParseSelectAndExpand(parser));
        var query = new QueryExpression(entity.LogicalName) { ColumnSet = selectExpand.Columns, TopCount = Top(parser, options.Top) };
        query.LinkEntities.AddRange(selectExpand.Links);

        if (parser.ParseFilter() is { } filter)
        {
            // Aliases are bound while the filter is parsed, so the dictionary is read after ParseFilter.
            var filters = new FilterTranslator(entity, parser.ParameterAliasNodes, catalog);
            query.Criteria = filters.Translate(filter);
            query.LinkEntities.AddRange(filters.Links);
        }

        var orderBy = parser.ParseOrderBy(); // binds the aliases it uses, read next
        query.Orders.AddRange(OrderByTranslator.Translate(orderBy, entity, parser.ParameterAliasNodes));
        var count = parser.ParseCount() ?? false;
        return new ODataQueryResult(query, count, selectExpand.SelectedProperties, selectExpand.Expands, options.SkipToken)
        {
            CollectionExpands = selectExpand.CollectionExpands,
        };
    }

    private static SelectExpandClause? ParseSelectAndExpand(ODataQueryOptionParser parser)
    {
        try
        {
            return parser.ParseSelectAndExpand();
        }
        catch (InvalidCastException)
        {
            // Microsoft.OData.Core casts the property's type to a structured type when options follow a primitive
            // property ($select=msdyn_name($select=x)) instead of reporting the mistake.
            throw ODataQueryFaults.BadQuery("Query options in parentheses may follow only a navigation property in $expand, not a property in $select.");
        }
        catch (NullReferenceException)
        {
            // Microsoft.OData.Core dereferences a missing navigation property for $expand=$ref (at any depth)
            // instead of reporting it, as it does for $select=$ref.
            throw ODataQueryFaults.BadQuery("$ref cannot be expanded on its own; name the navigation property to expand, such as $expand=ownerid.");
        }
    }

    private static int? Top(ODataQueryOptionParser parser, string? text) => parser.ParseTop() switch
    {
        null => null,
        > 0 and <= int.MaxValue and var top => (int)top,
        _ => throw ODataQueryFaults.InvalidTop(text ?? ""),
    };
}
