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
    private readonly QueryFunctionTranslator _functions;
    private readonly IDictionary<string, SingleValueNode> _aliases;

    public FilterTranslator(EntityDefinition entity, IDictionary<string, SingleValueNode> aliases)
    {
        _entity = entity;
        _aliases = aliases;
        _functions = new QueryFunctionTranslator(entity, aliases);
    }

    public FilterExpression Translate(FilterClause filter)
    {
        // A top-level "or" (or "not (a and b)") makes the criteria an Or filter rather than nesting one.
        var root = new FilterExpression(TopLevelOperator(filter.Expression, negated: false));
        Add(root, filter.Expression, negated: false);
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
            case SingleValuePropertyAccessNode property when property.TypeReference.IsBoolean():
                // A bare Boolean column ("$filter=isdisabled") tests it for true.
                target.AddCondition(new ConditionExpression(Column(property).LogicalName,
                    negated ? ConditionOperator.NotEqual : ConditionOperator.Equal, true));
                break;
            default:
                throw ODataQueryFaults.NodeNotSupported(node);
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

        if (left is not SingleValuePropertyAccessNode property || property.Source is not ResourceRangeVariableReferenceNode)
        {
            // Only a column of this table can be compared: no tolower(x), no arithmetic, no lookup paths.
            throw left switch
            {
                SingleValueFunctionCallNode call => ODataQueryFaults.FunctionNotSupported(call.Name),
                SingleValuePropertyAccessNode { Source: SingleNavigationNode navigation } path =>
                    ODataQueryFaults.NavigationPathNotSupported(navigation.NavigationProperty.Name + "/" + path.Property.Name),
                _ => ODataQueryFaults.NodeNotSupported(left),
            };
        }

        var column = Column(property);
        if (negated)
        {
            op = Negate(op);
        }

        return right switch
        {
            SingleValuePropertyAccessNode other when other.Source is ResourceRangeVariableReferenceNode =>
                new ConditionExpression(column.LogicalName, op, Column(other).LogicalName) { CompareColumns = true },
            ConstantNode { Value: null } => NullTest(node, column, op),
            ConstantNode constant => new ConditionExpression(column.LogicalName, op, LiteralConverter.Convert(constant.Value, column)),
            _ => throw ODataQueryFaults.NodeNotSupported(right),
        };
    }

    private static ConditionExpression NullTest(BinaryOperatorNode node, AttributeDefinition column, ConditionOperator op) => op switch
    {
        ConditionOperator.Equal => new ConditionExpression(column.LogicalName, ConditionOperator.Null),
        ConditionOperator.NotEqual => new ConditionExpression(column.LogicalName, ConditionOperator.NotNull),
        _ => throw ODataQueryFaults.NodeNotSupported(node),
    };

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
        if (arguments is not [SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode } property, ConstantNode { Value: string text }])
        {
            throw ODataQueryFaults.NodeNotSupported(call);
        }

        // Dataverse passes % and _ in the value through as wildcards, so the text is not escaped.
        return new ConditionExpression(Column(property).LogicalName, op, string.Format(null, pattern, text));
    }

    private AttributeDefinition Column(SingleValuePropertyAccessNode property) => ColumnResolver.Get(_entity, property.Property.Name);

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
