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
internal sealed class SelectExpandTranslator(EntityDefinition entity, MetadataCatalog catalog)
{
    public sealed record Result(ColumnSet Columns, IReadOnlyList<string> SelectedProperties,
        IReadOnlyList<ODataExpand> Expands, IReadOnlyList<LinkEntity> Links);

    public Result Translate(SelectExpandClause? clause)
    {
        if (clause is null)
        {
            return new Result(new ColumnSet(allColumns: true), [], [], []);
        }

        var columns = new List<string> { entity.PrimaryIdAttribute }; // Always returned, as in Dataverse.
        var selected = new List<string>();
        var allColumns = clause.AllSelected;
        var expands = new List<ODataExpand>();
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
                case ExpandedNavigationSelectItem expanded:
                    var expand = Expand(expanded);
                    expands.Add(expand);
                    links.AddRange(expand.Targets.Select(t => Link(expand, t)));
                    break;
                default:
                    throw ODataQueryFaults.ExpandNotSupported(Describe(item));
            }
        }

        var columnSet = allColumns ? new ColumnSet(allColumns: true) : new ColumnSet(columns.ToArray());
        return new Result(columnSet, selected, expands, links);
    }

    private ODataExpand Expand(ExpandedNavigationSelectItem item)
    {
        if (item.PathToNavigationProperty is not { Count: 1 } || item.PathToNavigationProperty.FirstSegment is not NavigationPropertySegment segment
            || segment.NavigationProperty.Type.IsCollection())
        {
            throw ODataQueryFaults.ExpandNotSupported(Describe(item));
        }

        var navigation = segment.NavigationProperty.Name;
        if (item.FilterOption is not null || item.OrderByOption is not null || item.TopOption is not null
            || item.SkipOption is not null || item.CountOption is not null || item.SearchOption is not null
            || item.LevelsOption is not null || item.ComputeOption is not null || item.ApplyOption is not null
            || item.SelectAndExpand?.SelectedItems.Any(i => i is not PathSelectItem) == true)
        {
            throw ODataQueryFaults.ExpandOptionNotSupported(navigation);
        }

        var lookup = entity.Attribute(navigation); // A navigation property is named as its lookup column.
        var targetType = segment.NavigationProperty.ToEntityType();
        var isPrincipal = targetType.Name == EdmModelBuilder.Principal;
        var selected = item.SelectAndExpand is { AllSelected: false } nested
            ? nested.SelectedItems.OfType<PathSelectItem>().Select(p => SelectedName(p.SelectedPath)).ToList()
            : [];

        // ownerid leads to a systemuser or a team: one link each, and the row's owner type picks one.
        var targetNames = isPrincipal ? lookup.Targets : [targetType.Name];
        var targets = targetNames
            .Select(name => catalog[name])
            .Select(target => new ODataExpandTarget(isPrincipal ? $"{navigation}_{target.LogicalName}" : navigation,
                target.LogicalName, TargetColumns(target, selected)))
            .ToList();
        return new ODataExpand(navigation, lookup.LogicalName, selected, targets);
    }

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

    private LinkEntity Link(ODataExpand expand, ODataExpandTarget target) =>
        new(entity.LogicalName, target.EntityName, expand.LookupColumn, catalog[target.EntityName].PrimaryIdAttribute, JoinOperator.LeftOuter)
        {
            EntityAlias = target.EntityAlias,
            Columns = new ColumnSet(target.Columns.ToArray()),
        };

    private static string SelectedName(ODataSelectPath path) => path switch
    {
        { Count: 1, FirstSegment: PropertySegment property } => property.Property.Name,
        { Count: 1, FirstSegment: NavigationPropertySegment navigation } => navigation.NavigationProperty.Name,
        _ => throw ODataQueryFaults.BadQuery($"The $select of '{string.Join('/', path.Select(s => s.Identifier))}' is not supported."),
    };

    private static string Describe(SelectItem item) => item switch
    {
        ExpandedNavigationSelectItem expanded => string.Join('/', expanded.PathToNavigationProperty.Select(s => s.Identifier)),
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
