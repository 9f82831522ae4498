using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Query;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// Turns a bound $filter tree into a FilterExpression. QueryExpression has no "not", so a negation is pushed down
/// to the conditions (De Morgan over and/or, and each operator's opposite), as Dataverse does.
/// </summary>
internal sealed class FilterTranslator
{
    private readonly EntityDefinition _entity;
    private readonly MetadataCatalog? _catalog;
    private readonly QueryFunctionTranslator _functions;
    private readonly IDictionary<string, SingleValueNode> _aliases;
    private readonly Dictionary<string, LinkEntity> _links = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkEntity> _joins = new(StringComparer.Ordinal); // every join by alias, nested ones too

    /// <param name="catalog">The tables a lookup path (owninguser/fullname) may reach; null where the query cannot join them.</param>
    public FilterTranslator(EntityDefinition entity, IDictionary<string, SingleValueNode> aliases, MetadataCatalog? catalog = null)
    {
        _entity = entity;
        _aliases = aliases;
        _catalog = catalog;
        _functions = new QueryFunctionTranslator(entity, aliases);
    }

    /// <summary>What the alias of a lookup path's join starts with (filter_owninguser).</summary>
    public const string LinkAliasPrefix = "filter_";

    /// <summary>The outer joins the lookup paths of the filter need (one per lookup), for the query's LinkEntities.</summary>
    public IReadOnlyCollection<LinkEntity> Links => _links.Values;

    public FilterExpression Translate(FilterClause filter) => Translate(filter.Expression, negated: false);

    private FilterExpression Translate(SingleValueNode expression, bool negated)
    {
        // A top-level "or" (or "not (a and b)") makes the criteria an Or filter rather than nesting one.
        var root = new FilterExpression(TopLevelOperator(expression, negated));
        Add(root, expression, negated);
        return root;
    }

    private static LogicalOperator TopLevelOperator(SingleValueNode node, bool negated) => Unwrap(node) switch
    {
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => TopLevelOperator(not.Operand, !negated),
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Or } => negated ? LogicalOperator.And : LogicalOperator.Or,
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And } => negated ? LogicalOperator.Or : LogicalOperator.And,
        _ => LogicalOperator.And,
    };

    private void Add(FilterExpression target, SingleValueNode node, bool negated)
    {
        node = Unwrap(node);
        switch (node)
        {
            case UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not:
                Add(target, not.Operand, !negated);
                break;
            case BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or } logical:
                AddLogical(target, logical, negated);
                break;
            case BinaryOperatorNode comparison:
                target.AddCondition(Comparison(comparison, negated));
                break;
            case SingleValueFunctionCallNode call:
                target.AddCondition(FunctionCall(call, negated));
                break;
            case AnyNode any:
                AddLambda(target, any.Source, any.Body, all: false, negated);
                break;
            case AllNode all:
                AddLambda(target, all.Source, all.Body, all: true, negated);
                break;
            case SingleValuePropertyAccessNode property when property.TypeReference.IsBoolean():
                // A bare Boolean column ("$filter=isdisabled") tests it for true.
                var (table, boolean) = Target(property);
                target.AddCondition(new ConditionExpression(boolean.LogicalName, negated ? ConditionOperator.NotEqual : ConditionOperator.Equal, true)
                {
                    EntityName = table,
                });
                break;
            default:
                throw ODataQueryFaults.NodeNotSupported(node);
        }
    }

    /// <summary>
    /// A lambda over a collection-valued navigation property (user_x/any(a:a/statecode eq 1)), as the test of related
    /// rows QueryExpression has (FilterExpression.AnyAllFilterLinkEntity): any(p) is Any with p, "not any(p)" NotAny
    /// with p, all(p) Dataverse's All with "not p" (related rows exist and none fails p), and "not all(p)" is "no
    /// related rows, or one that fails p".
    /// </summary>
    private void AddLambda(FilterExpression target, CollectionNode source, SingleValueNode body, bool all, bool negated)
    {
        if (source is not CollectionNavigationNode { NavigationProperty: var navigation, Source: ResourceRangeVariableReferenceNode range }
            || !IsOwnTable(range, _entity) || _catalog is null)
        {
            throw ODataQueryFaults.BadQuery(
                "The lambda operators any and all apply to a collection-valued navigation property of the table being queried, " +
                "such as user_msdyn_ocwhatsappchannelaccount/any(a:a/statecode eq 0).");
        }

        switch (all, negated)
        {
            case (false, false):
                Put(target, Test(navigation.Name, JoinOperator.Any, body, negate: false));
                break;
            case (false, true):
                Put(target, Test(navigation.Name, JoinOperator.NotAny, body, negate: false));
                break;
            case (true, false):
                Put(target, Test(navigation.Name, JoinOperator.All, body, negate: true));
                break;
            default:
                var either = target.FilterOperator == LogicalOperator.Or ? target : target.AddFilter(LogicalOperator.Or);
                Put(either, Test(navigation.Name, JoinOperator.NotAny, null, negate: false));
                Put(either, Test(navigation.Name, JoinOperator.Any, body, negate: true));
                break;
        }
    }

    /// <summary>The link testing the related rows of the navigation property, its criteria the lambda's body (none for any()).</summary>
    private LinkEntity Test(string navigation, JoinOperator test, SingleValueNode? body, bool negate)
    {
        if (Endpoints.RelatedRecords.TestOf(_catalog!, _entity, navigation, test) is not var (link, rows, table))
        {
            throw ODataQueryFaults.BadQuery($"The lambda operators cannot test the navigation property '{navigation}'.");
        }

        if (body is null || Unwrap(body) is ConstantNode { Value: true } && !negate)
        {
            return link;
        }

        var translator = new FilterTranslator(table, _aliases, _catalog);
        rows.LinkCriteria = translator.Translate(body, negate);
        if (translator._links.Count > 0)
        {
            if (rows != link)
            {
                throw ODataQueryFaults.BadQuery(
                    $"Inside a lambda over the many-to-many relationship '{navigation}', test the related table's own columns; a path through its lookups is not supported.");
            }

            // Lookup paths in the body (a/owninguser/fullname) join inside the test, from the related table.
            link.LinkEntities.AddRange(translator._links.Values);
        }

        return link;
    }

    /// <summary>A test of related rows is one more condition of the filter; a filter holds one, so another gets a filter of its own.</summary>
    private static void Put(FilterExpression target, LinkEntity test)
    {
        if (target.AnyAllFilterLinkEntity is null)
        {
            target.AnyAllFilterLinkEntity = test;
        }
        else
        {
            target.AddFilter(new FilterExpression { AnyAllFilterLinkEntity = test });
        }
    }

    private void AddLogical(FilterExpression target, BinaryOperatorNode logical, bool negated)
    {
        // De Morgan: not (a and b) = not a or not b.
        var op = TopLevelOperator(logical, negated);
        var into = target.FilterOperator == op ? target : target.AddFilter(op);
        Add(into, logical.Left, negated);
        Add(into, logical.Right, negated);
    }

    private ConditionExpression Comparison(BinaryOperatorNode node, bool negated)
    {
        var left = Resolve(node.Left);
        var right = Resolve(node.Right);
        var op = OperatorOf(node);
        if (left is not SingleValuePropertyAccessNode && right is SingleValuePropertyAccessNode)
        {
            (left, right) = (right, left);
            op = Mirror(op);
        }

        if (left is not SingleValuePropertyAccessNode property)
        {
            // Only a column can be compared: no tolower(x), no arithmetic.
            throw left is SingleValueFunctionCallNode call ? ODataQueryFaults.FunctionNotSupported(call.Name) : ODataQueryFaults.NodeNotSupported(left);
        }

        var (table, column) = Target(property);
        if (negated)
        {
            op = Negate(op);
        }

        var condition = right switch
        {
            SingleValuePropertyAccessNode other when table is null && other.Source is ResourceRangeVariableReferenceNode otherRange && IsOwnTable(otherRange, _entity) =>
                new ConditionExpression(column.LogicalName, op, Column(other).LogicalName) { CompareColumns = true },
            ConstantNode { Value: null } => NullTest(node, column, op),
            ConstantNode constant => new ConditionExpression(column.LogicalName, op, LiteralConverter.Convert(constant.Value, column)),
            _ => throw ODataQueryFaults.NodeNotSupported(right),
        };
        condition.EntityName = table;
        return condition;
    }

    private static ConditionExpression NullTest(BinaryOperatorNode node, AttributeDefinition column, ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => new ConditionExpression(column.LogicalName, ConditionOperator.Null),
        ConditionOperator.NotEqual => new ConditionExpression(column.LogicalName, ConditionOperator.NotNull),
        _ => throw ODataQueryFaults.NodeNotSupported(node),
    };

    /// <summary>
    /// The table (null for the query's own, else a link alias) and column a property names: a column of this table, or
    /// one of the record a single-target lookup points to (owninguser/fullname, owningbusinessunit/name), reached
    /// through a left outer join so a record whose lookup is empty still meets "eq null".
    /// </summary>
    private (string? Table, AttributeDefinition Column) Target(SingleValuePropertyAccessNode property)
    {
        switch (property.Source)
        {
            case ResourceRangeVariableReferenceNode own when IsOwnTable(own, _entity):
                return (null, Column(property));
            case ResourceRangeVariableReferenceNode:
                throw ParentNotReachable(property.Property.Name);
            case SingleNavigationNode navigation when _catalog is not null:
                var (alias, table) = Join(navigation, property.Property.Name);
                return (alias, ColumnResolver.Get(table, property.Property.Name));
            case SingleNavigationNode navigation:
                throw ODataQueryFaults.NavigationPathNotSupported(PathOf(navigation) + "/" + property.Property.Name, "here only the table's own columns can be tested");
            default:
                throw ODataQueryFaults.NodeNotSupported(property);
        }
    }

    /// <summary>
    /// The outer join a lookup path reaches its table through, one per path prefix and nested in its parent's:
    /// createdby/businessunitid/name joins systemuser on createdby, and businessunit on that user's businessunitid.
    /// </summary>
    private (string Alias, EntityDefinition Table) Join(SingleNavigationNode navigation, string column)
    {
        var (parentAlias, parent) = navigation.Source switch
        {
            ResourceRangeVariableReferenceNode own when IsOwnTable(own, _entity) => ((string?)null, _entity),
            SingleNavigationNode outer => Join(outer, column),
            _ => throw ODataQueryFaults.NodeNotSupported(navigation),
        };
        var name = navigation.NavigationProperty.Name;
        if (!parent.TryGetAttribute(name, out var lookup) || !lookup.IsLookup || lookup.Targets.Count != 1
            || !_catalog!.TryGetByLogicalName(lookup.Targets[0], out var target))
        {
            throw ODataQueryFaults.NavigationPathNotSupported($"{PathOf(navigation)}/{column}",
                $"only a lookup to one table can be followed, and '{name}' is not one; test _{name}_value, or a path through lookups to one table such as createdby/businessunitid/name");
        }

        var alias = parentAlias is null ? LinkAliasPrefix + name : parentAlias + "_" + name;
        if (!_joins.ContainsKey(alias))
        {
            var link = new LinkEntity(parent.LogicalName, target.LogicalName, lookup.LogicalName, target.PrimaryIdAttribute, JoinOperator.LeftOuter)
            {
                EntityAlias = alias,
                Columns = new Sdk.ColumnSet(),
            };
            _joins[alias] = link;
            if (parentAlias is null)
            {
                _links[alias] = link;
            }
            else
            {
                _joins[parentAlias].LinkEntities.Add(link);
            }
        }

        return (alias, target);
    }

    private static string PathOf(SingleNavigationNode navigation) =>
        (navigation.Source is SingleNavigationNode outer ? PathOf(outer) + "/" : "") + navigation.NavigationProperty.Name;

    private ConditionExpression FunctionCall(SingleValueFunctionCallNode call, bool negated)
    {
        if (_functions.IsQueryFunction(call))
        {
            // Dataverse refuses "not" around its query functions instead of negating them.
            return negated ? throw ODataQueryFaults.NotWithQueryFunction() : _functions.Translate(call);
        }

        var pattern = call.Name switch
        {
            "contains" => "%{0}%",
            "startswith" => "{0}%",
            "endswith" => "%{0}",
            _ => throw ODataQueryFaults.FunctionNotSupported(call.Name),
        };
        var op = negated ? ConditionOperator.NotLike : ConditionOperator.Like;

        var arguments = call.Parameters.OfType<SingleValueNode>().Select(Resolve).ToList();
        if (arguments is not [SingleValuePropertyAccessNode property, ConstantNode { Value: string text }])
        {
            throw ODataQueryFaults.NodeNotSupported(call);
        }

        // Dataverse passes % and _ in the value through as wildcards, so the text is not escaped.
        var (table, column) = Target(property);
        return new ConditionExpression(column.LogicalName, op, string.Format(null, pattern, text)) { EntityName = table };
    }

    private AttributeDefinition Column(SingleValuePropertyAccessNode property) => ColumnResolver.Get(_entity, property.Property.Name);

    /// <summary>
    /// Whether a range variable is the table being queried: inside $expand's nested options $it is the expanded
    /// record's parent, whose columns the related table's query cannot test.
    /// </summary>
    internal static bool IsOwnTable(ResourceRangeVariableReferenceNode node, EntityDefinition entity) =>
        node.RangeVariable.StructuredTypeReference?.FullName() is not { } type || type == Edm.EdmModelBuilder.Namespace + "." + entity.LogicalName;

    internal static Sdk.Faults.OrganizationServiceFaultException ParentNotReachable(string property) =>
        ODataQueryFaults.BadQuery($"'$it/{property}' names the outer record; inside a lambda (any/all) or the options of an $expand, test the related table's own columns.");

    /// <summary>Strips the parser's implicit conversions and replaces a parameter alias by its value.</summary>
    private SingleValueNode Resolve(SingleValueNode node)
    {
        node = Unwrap(node);
        return node is ParameterAliasNode alias
            ? Unwrap(_aliases.TryGetValue(alias.Alias, out var value) && value is not null ? value : new ConstantNode(null, "null"))
            : node;
    }

    internal static SingleValueNode Unwrap(SingleValueNode node)
    {
        while (node is ConvertNode convert)
        {
            node = convert.Source;
        }

        return node;
    }

    private static ConditionOperator OperatorOf(BinaryOperatorNode node) => node.OperatorKind switch
    {
        BinaryOperatorKind.Equal => ConditionOperator.Equal,
        BinaryOperatorKind.NotEqual => ConditionOperator.NotEqual,
        BinaryOperatorKind.GreaterThan => ConditionOperator.GreaterThan,
        BinaryOperatorKind.GreaterThanOrEqual => ConditionOperator.GreaterEqual,
        BinaryOperatorKind.LessThan => ConditionOperator.LessThan,
        BinaryOperatorKind.LessThanOrEqual => ConditionOperator.LessEqual,
        _ => throw ODataQueryFaults.NodeNotSupported(node),
    };

    /// <summary>The operator with its operands swapped: 5 lt x is x gt 5.</summary>
    private static ConditionOperator Mirror(ConditionOperator op) => op switch
    {
        ConditionOperator.GreaterThan => ConditionOperator.LessThan,
        ConditionOperator.LessThan => ConditionOperator.GreaterThan,
        ConditionOperator.GreaterEqual => ConditionOperator.LessEqual,
        ConditionOperator.LessEqual => ConditionOperator.GreaterEqual,
        _ => op,
    };

    /// <summary>The operator that holds exactly when this one does not.</summary>
    internal static ConditionOperator Negate(ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => ConditionOperator.NotEqual,
        ConditionOperator.NotEqual => ConditionOperator.Equal,
        ConditionOperator.GreaterThan => ConditionOperator.LessEqual,
        ConditionOperator.LessEqual => ConditionOperator.GreaterThan,
        ConditionOperator.LessThan => ConditionOperator.GreaterEqual,
        ConditionOperator.GreaterEqual => ConditionOperator.LessThan,
        ConditionOperator.Null => ConditionOperator.NotNull,
        ConditionOperator.NotNull => ConditionOperator.Null,
        ConditionOperator.Like => ConditionOperator.NotLike,
        ConditionOperator.NotLike => ConditionOperator.Like,
        ConditionOperator.BeginsWith => ConditionOperator.DoesNotBeginWith,
        ConditionOperator.DoesNotBeginWith => ConditionOperator.BeginsWith,
        ConditionOperator.EndsWith => ConditionOperator.DoesNotEndWith,
        ConditionOperator.DoesNotEndWith => ConditionOperator.EndsWith,
        ConditionOperator.In => ConditionOperator.NotIn,
        ConditionOperator.NotIn => ConditionOperator.In,
        ConditionOperator.Between => ConditionOperator.NotBetween,
        ConditionOperator.NotBetween => ConditionOperator.Between,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "No opposite operator."),
    };
}
