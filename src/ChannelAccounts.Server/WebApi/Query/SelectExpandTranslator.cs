using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Edm;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// Turns $select into the query's ColumnSet and $expand of single-valued navigation properties into LinkEntities
/// (left outer, from the lookup column to the target's primary id) whose aliased columns form the nested record.
/// </summary>
internal sealed class SelectExpandTranslator(EntityDefinition entity, MetadataCatalog catalog,
    IDictionary<string, SingleValueNode>? aliases = null, string? rawExpand = null)
{
    public sealed record Result(ColumnSet Columns, IReadOnlyList<string> SelectedProperties,
        IReadOnlyList<ODataExpand> Expands, IReadOnlyList<LinkEntity> Links)
    {
        public IReadOnlyList<ODataCollectionExpand> CollectionExpands { get; init; } = [];
    }

    public Result Translate(SelectExpandClause? clause)
    {
        if (clause is null)
        {
            return new Result(new ColumnSet(allColumns: true), [], [], []);
        }

        // At the top or inside an expansion (owninguser($expand=*)), where the parser would otherwise expand every
        // navigation property and the first unsupported one would be named instead.
        if (rawExpand is not null && (QueryText.Split(rawExpand, ',', "$expand").Any(item => item.Trim().StartsWith('*'))
            || System.Text.RegularExpressions.Regex.IsMatch(rawExpand, @"\$expand\s*=\s*\*")))
        {
            throw ODataQueryFaults.BadQuery("$expand=* is not supported; name the navigation properties to expand, such as $expand=ownerid,createdby.");
        }

        var columns = new List<string> { entity.PrimaryIdAttribute }; // Always returned, as in Dataverse.
        var selected = new List<string>();
        var allColumns = clause.AllSelected;
        var expands = new List<ODataExpand>();
        var collectionExpands = new List<ODataCollectionExpand>();
        var links = new List<LinkEntity>();
        foreach (var item in clause.SelectedItems)
        {
            switch (item)
            {
                case PathSelectItem path:
                    var name = SelectedName(path.SelectedPath);
                    selected.Add(name);
                    AddDistinct(columns, ColumnResolver.Get(entity, name).LogicalName);
                    break;
                case WildcardSelectItem or NamespaceQualifiedWildcardSelectItem:
                    allColumns = true;
                    break;
                case ExpandedNavigationSelectItem { PathToNavigationProperty.FirstSegment: NavigationPropertySegment { NavigationProperty: var many } } expanded
                    when many.Type.IsCollection():
                    collectionExpands.Add(CollectionExpand(expanded, many, entity, NestedOptions(many.Name, rawExpand)));
                    break;
                case ExpandedNavigationSelectItem expanded:
                    var expand = Expand(expanded, entity, parentAlias: null);
                    expands.Add(expand);
                    links.AddRange(expand.Targets.Select(t => Link(entity.LogicalName, expand, t)));
                    break;
                case ExpandedCountSelectItem:
                    throw ODataQueryFaults.ExpandNotSupported(Describe(item)); // an ExpandedReferenceSelectItem too
                case ExpandedReferenceSelectItem { PathToNavigationProperty: { Count: 1, FirstSegment: NavigationPropertySegment { NavigationProperty: var referenced } } } reference:
                    var lookup = Reference(reference, referenced);
                    AddDistinct(columns, lookup.LookupColumn); // the lookup's own value is the reference, and is written too
                    expands.Add(lookup);
                    break;
                default:
                    throw ODataQueryFaults.ExpandNotSupported(Describe(item));
            }
        }

        var columnSet = allColumns ? new ColumnSet(allColumns: true) : new ColumnSet(columns.ToArray());
        return new Result(columnSet, selected, expands, links) { CollectionExpands = collectionExpands };
    }

    /// <summary>
    /// A collection-valued navigation property (one-to-many or many-to-many) with its nested $select, $filter,
    /// $orderby and $top, as the related table's query; the endpoint runs it once for all the records of a page.
    /// </summary>
    /// <param name="source">The table whose records hold the property (the queried one, or a related one when nested).</param>
    /// <param name="options">The options inside nav(...) as written, each "name=value", for the nextLink to the related records.</param>
    private ODataCollectionExpand CollectionExpand(ExpandedNavigationSelectItem item, IEdmNavigationProperty navigation, EntityDefinition source,
        List<string> options)
    {
        if (item.PathToNavigationProperty.Count != 1
            || Endpoints.RelatedRecords.Of(catalog, source, navigation.Name) is not { } related)
        {
            throw ODataQueryFaults.ExpandNotSupported(Describe(item));
        }

        if (item.SkipOption is not null || item.CountOption is not null || item.SearchOption is not null
            || item.LevelsOption is not null || item.ComputeOption is not null || item.ApplyOption is not null
            || item.SelectAndExpand?.SelectedItems.Any(i => i is not (PathSelectItem or ExpandedNavigationSelectItem)) == true)
        {
            throw ODataQueryFaults.BadQuery(
                $"Only $select, $filter, $orderby, $top and $expand are supported inside $expand of the collection-valued navigation property '{navigation.Name}'.");
        }

        if ((item.TopOption is not null || item.OrderByOption is not null)
            && item.SelectAndExpand?.SelectedItems.OfType<ExpandedNavigationSelectItem>().Any() == true)
        {
            // Dataverse's rule for collection-valued navigation properties: $top and $orderby, or a nested $expand.
            throw ODataQueryFaults.InvalidExpand(
                "Only $select and $filter clause can be provided while doing $expand on many-to-one relationship or nested one-to-many relationship. " +
                $"'{navigation.Name}' has a nested $expand: drop its $top and $orderby or the nested $expand, or query the related table's own entity set.");
        }

        var target = related.Target;
        var selected = item.SelectAndExpand is { AllSelected: false } nested
            ? nested.SelectedItems.OfType<PathSelectItem>().Select(p => SelectedName(p.SelectedPath)).ToList()
            : [];
        var template = new QueryExpression(target.LogicalName)
        {
            ColumnSet = selected.Count == 0
                ? new ColumnSet(allColumns: true)
                : new ColumnSet([target.PrimaryIdAttribute, .. selected.Select(n => ColumnResolver.Get(target, n).LogicalName).Distinct()]),
        };
        if (item.FilterOption is { } filter)
        {
            var filters = new FilterTranslator(target, aliases ?? new Dictionary<string, SingleValueNode>(), catalog);
            template.Criteria = filters.Translate(filter);
            template.LinkEntities.AddRange(filters.Links);
        }

        template.Orders.AddRange(OrderByTranslator.Translate(item.OrderByOption, target));
        // The related records' own lookups (user_msdyn_ocwhatsappchannelaccount($expand=owninguser)): links of their query;
        // and their own one-to-many collections, which Dataverse nests too (not a many-to-many, on either side).
        var expands = new List<ODataExpand>();
        var collections = new List<ODataCollectionExpand>();
        foreach (var within in item.SelectAndExpand?.SelectedItems.OfType<ExpandedNavigationSelectItem>() ?? [])
        {
            if (within.PathToNavigationProperty.FirstSegment is NavigationPropertySegment { NavigationProperty: var many } && many.Type.IsCollection())
            {
                if (related.IsManyToMany || Endpoints.RelatedRecords.Of(catalog, target, many.Name) is { IsManyToMany: true })
                {
                    throw ODataQueryFaults.InvalidExpand(
                        $"A many-to-many navigation property cannot be part of a nested $expand ('{navigation.Name}' and '{many.Name}'): " +
                        "expand it at the top of its own query instead.");
                }

                var nestedExpand = options.FirstOrDefault(o => o.StartsWith("$expand=", StringComparison.Ordinal))?["$expand=".Length..];
                collections.Add(CollectionExpand(within, many, target, NestedOptions(many.Name, nestedExpand)));
                continue;
            }

            var expand = Expand(within, target, parentAlias: null);
            expands.Add(expand);
            template.LinkEntities.AddRange(expand.Targets.Select(t => Link(target.LogicalName, expand, t)));
        }

        int? top = item.TopOption switch
        {
            null => null,
            > 0 and <= Engine.Query.QueryContext.MaxPageSize and var value => (int)value,
            > Engine.Query.QueryContext.MaxPageSize => throw ODataQueryFaults.BadQuery(
                $"The $top inside $expand of '{navigation.Name}' is at most {Engine.Query.QueryContext.MaxPageSize:N0}, the records one page holds."),
            var value => throw ODataQueryFaults.InvalidTop(value.ToString()!),
        };
        return new ODataCollectionExpand(navigation.Name, related, selected, template, top, options) { Expands = expands, CollectionExpands = collections };
    }

    /// <summary>
    /// <c>$expand=createdby/$ref</c>: the related record's URL instead of its columns, which Dataverse serves for lookups
    /// only ("Join tables using OData"); options inside it have nothing to apply to.
    /// </summary>
    private ODataExpand Reference(ExpandedReferenceSelectItem item, IEdmNavigationProperty navigation)
    {
        if (navigation.Type.IsCollection())
        {
            throw ODataQueryFaults.InvalidExpand("Expand with $ref is only supported on lookup type navigation property. " +
                $"Query '{navigation.Name}' on its own to list the related records, or expand it without /$ref.");
        }

        if (HasRowOptions(item))
        {
            throw ODataQueryFaults.ExpandOptionNotSupported(navigation.Name);
        }

        // One target per table the lookup may point to, none linked: the record's reference names its table.
        var lookup = entity.Attribute(navigation.Name);
        return new ODataExpand(navigation.Name, lookup.LogicalName, [], lookup.Targets.Select(t => new ODataExpandTarget("", t, [])).ToList())
        {
            AsReference = true,
        };
    }

    /// <summary>
    /// The options inside nav(...) of an $expand value as written (the request's, or one nested in a parent's options),
    /// each "name=value", for a record's nextLink.
    /// </summary>
    private static List<string> NestedOptions(string navigation, string? expandText)
    {
        foreach (var part in QueryText.Split(expandText ?? "", ',', "$expand"))
        {
            var trimmed = part.Trim();
            var open = trimmed.IndexOf('(', StringComparison.Ordinal);
            var name = open < 0 ? trimmed : trimmed[..open];
            if (string.Equals(name.Trim(), navigation, StringComparison.OrdinalIgnoreCase))
            {
                return open < 0 || !trimmed.EndsWith(')')
                    ? []
                    : [.. QueryText.Split(trimmed[(open + 1)..^1], ';', "$expand").Select(o => o.Trim()).Where(o => o.Length > 0)];
            }
        }

        return [];
    }

    /// <summary>
    /// A single-valued navigation property of <paramref name="source"/> with its nested $select and, for a lookup to one
    /// table, nested $expand of that table's own lookups (<c>createdby($select=fullname;$expand=businessunitid($select=name))</c>),
    /// each one more link nested in its parent's.
    /// </summary>
    /// <param name="parentAlias">The alias of the link the expansion is nested in; null at the top.</param>
    private ODataExpand Expand(ExpandedNavigationSelectItem item, EntityDefinition source, string? parentAlias)
    {
        if (item.PathToNavigationProperty is not { Count: 1 } || item.PathToNavigationProperty.FirstSegment is not NavigationPropertySegment segment
            || segment.NavigationProperty.Type.IsCollection())
        {
            throw ODataQueryFaults.ExpandNotSupported(Describe(item));
        }

        var navigation = segment.NavigationProperty.Name;
        if (HasRowOptions(item) || item.LevelsOption is not null
            || item.SelectAndExpand?.SelectedItems.Any(i => i is not (PathSelectItem or ExpandedNavigationSelectItem)) == true)
        {
            throw ODataQueryFaults.ExpandOptionNotSupported(navigation);
        }

        var lookup = source.Attribute(navigation); // A navigation property is named as its lookup column.
        var targetType = segment.NavigationProperty.ToEntityType();
        var isPrincipal = targetType.Name == EdmModelBuilder.Principal;
        var selected = item.SelectAndExpand is { AllSelected: false } nested
            ? nested.SelectedItems.OfType<PathSelectItem>().Select(p => SelectedName(p.SelectedPath)).ToList()
            : [];

        // ownerid leads to a systemuser or a team: one link each, and the row's owner type picks one.
        var alias = parentAlias is null ? navigation : parentAlias + "_" + navigation;
        var targetNames = isPrincipal ? lookup.Targets : [targetType.Name];
        var targets = targetNames
            .Select(name => catalog[name])
            .Select(target => new ODataExpandTarget(isPrincipal ? $"{alias}_{target.LogicalName}" : alias,
                target.LogicalName, TargetColumns(target, selected)))
            .ToList();
        var within = item.SelectAndExpand?.SelectedItems.OfType<ExpandedNavigationSelectItem>().ToList() ?? [];
        if (within.Count > 0 && targets.Count != 1)
        {
            throw ODataQueryFaults.ExpandOptionNotSupported(navigation);
        }

        var nestedExpands = within.Select(e => Expand(e, catalog[targets[0].EntityName], targets[0].EntityAlias)).ToList();
        return new ODataExpand(navigation, lookup.LogicalName, selected, targets) { Nested = nestedExpands };
    }

    /// <summary>
    /// Options that choose or shape rows ($filter, $orderby, $top, $skip, $count, $search, $compute, $apply), which the
    /// expansion of a lookup, or of its reference, has no use for (an ExpandedNavigationSelectItem is one too).
    /// </summary>
    private static bool HasRowOptions(ExpandedReferenceSelectItem item) =>
        item.FilterOption is not null || item.OrderByOption is not null || item.TopOption is not null || item.SkipOption is not null
        || item.CountOption is not null || item.SearchOption is not null || item.ComputeOption is not null || item.ApplyOption is not null;

    /// <summary>The nested $select mapped to the target's columns; without one, every readable column.</summary>
    private static List<string> TargetColumns(EntityDefinition target, IReadOnlyList<string> selected)
    {
        var columns = new List<string> { target.PrimaryIdAttribute };
        if (selected.Count == 0)
        {
            foreach (var attribute in target.Attributes.Where(a => a.IsValidForRead && EdmModelBuilder.IsInModel(a)))
            {
                AddDistinct(columns, attribute.LogicalName);
            }

            return columns;
        }

        foreach (var name in selected)
        {
            // principal's only property, ownerid, is the user's or team's own id.
            var column = name == EdmModelBuilder.PrincipalKey && ColumnResolver.Find(target, name) is null
                ? target.PrimaryIdAttribute
                : ColumnResolver.Get(target, name).LogicalName;
            AddDistinct(columns, column);
        }

        return columns;
    }

    /// <summary>The left outer link of one target of an expansion from <paramref name="source"/>, holding the links of its nested expansions.</summary>
    private LinkEntity Link(string source, ODataExpand expand, ODataExpandTarget target)
    {
        var link = new LinkEntity(source, target.EntityName, expand.LookupColumn, catalog[target.EntityName].PrimaryIdAttribute, JoinOperator.LeftOuter)
        {
            EntityAlias = target.EntityAlias,
            Columns = new ColumnSet(target.Columns.ToArray()),
        };
        link.LinkEntities.AddRange(expand.Nested.SelectMany(n => n.Targets.Select(t => Link(target.EntityName, n, t))));
        return link;
    }

    private static string SelectedName(ODataSelectPath path) => path switch
    {
        { Count: 1, FirstSegment: PropertySegment property } => property.Property.Name,
        { Count: 1, FirstSegment: NavigationPropertySegment navigation } => navigation.NavigationProperty.Name,
        _ => throw ODataQueryFaults.BadQuery($"The $select of '{string.Join('/', path.Select(s => s.Identifier))}' is not supported."),
    };

    private static string Describe(SelectItem item) => item switch
    {
        ExpandedNavigationSelectItem expanded => string.Join('/', expanded.PathToNavigationProperty.Select(s => s.Identifier)),
        ExpandedCountSelectItem count => string.Join('/', count.PathToNavigationProperty.Select(s => s.Identifier)) + "/$count",
        ExpandedReferenceSelectItem reference => string.Join('/', reference.PathToNavigationProperty.Select(s => s.Identifier)) + "/$ref",
        _ => item.GetType().Name,
    };

    private static void AddDistinct(List<string> columns, string column)
    {
        if (!columns.Contains(column, StringComparer.Ordinal))
        {
            columns.Add(column);
        }
    }
}
