using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Edm;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// Turns a call of one of Dataverse's query functions
/// (<c>Microsoft.Dynamics.CRM.In(PropertyName='msdyn_name',PropertyValues=["a","b"])</c>) into a condition.
/// </summary>
internal sealed class QueryFunctionTranslator(EntityDefinition entity, IDictionary<string, SingleValueNode> aliases)
{
    private const string Prefix = EdmModelBuilder.Namespace + ".";

    public bool IsQueryFunction(SingleValueFunctionCallNode call) => Find(call) is not null;

    public ConditionExpression Translate(SingleValueFunctionCallNode call)
    {
        var function = Find(call) ?? throw new ArgumentException($"'{call.Name}' is not a query function.", nameof(call));
        var column = PropertyName(call);
        var values = function.ValueKind switch
        {
            QueryFunctionValueKind.None => [],
            QueryFunctionValueKind.StringValue => [LiteralConverter.Convert(Argument(call, QueryFunction.PropertyValueParameter), column)],
            QueryFunctionValueKind.Int64Value => [LiteralConverter.ToUnitCount(Argument(call, QueryFunction.PropertyValueParameter), function.Name)],
            QueryFunctionValueKind.StringValues => Values(call, function, column),
            _ => throw new InvalidOperationException($"Unknown value kind {function.ValueKind}."),
        };
        return new ConditionExpression { AttributeName = column.LogicalName, Operator = function.Operator, Values = values };
    }

    private static QueryFunction? Find(SingleValueFunctionCallNode call) =>
        call.Name.StartsWith(Prefix, StringComparison.Ordinal)
        && QueryFunction.All.TryGetValue(call.Name[Prefix.Length..], out var function)
            ? function
            : null;

    /// <summary>PropertyName is the column's logical name; the _x_value form of a lookup is accepted too.</summary>
    private AttributeDefinition PropertyName(SingleValueFunctionCallNode call)
    {
        var name = Argument(call, QueryFunction.PropertyNameParameter) as string ?? "";
        return ColumnResolver.Find(entity, name) ?? throw DataverseFault.AttributeNotFound(entity.LogicalName, name);
    }

    private List<object?> Values(SingleValueFunctionCallNode call, QueryFunction function, AttributeDefinition column)
    {
        var argument = Argument(call, QueryFunction.PropertyValuesParameter);
        var items = argument is ODataCollectionValue collection ? collection.Items.ToList() : [argument];
        var values = items.Select(item => LiteralConverter.Convert(item, column)).ToList();
        if (function.Operator is ConditionOperator.Between or ConditionOperator.NotBetween && values.Count != 2)
        {
            throw ODataQueryFaults.WrongValueCount(function.Name, 2);
        }

        return values;
    }

    /// <summary>The value of a named argument, with a parameter alias (@p1) replaced by its value.</summary>
    private object? Argument(SingleValueFunctionCallNode call, string name) =>
        call.Parameters.OfType<NamedFunctionParameterNode>().FirstOrDefault(p => p.Name == name)?.Value is SingleValueNode node
            ? ValueOf(FilterTranslator.Unwrap(node))
            : null;

    private object? ValueOf(SingleValueNode node) => node switch
    {
        ConstantNode constant => constant.Value,
        ParameterAliasNode alias => aliases.TryGetValue(alias.Alias, out var value) && value is not null
            ? ValueOf(FilterTranslator.Unwrap(value))
            : null,
        _ => throw ODataQueryFaults.NodeNotSupported(node),
    };
}
