using System.Xml;
using ChannelAccounts.Sdk.Query;
using static ChannelAccounts.Engine.Query.FetchXml.FetchXmlParser;

namespace ChannelAccounts.Engine.Query.FetchXml;

/// <summary>&lt;condition attribute= operator= value=&gt; (or &lt;value&gt; children) as a ConditionExpression.</summary>
internal static class FetchConditions
{
    private static readonly Dictionary<string, ConditionOperator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = ConditionOperator.Equal,
        ["ne"] = ConditionOperator.NotEqual,
        ["neq"] = ConditionOperator.NotEqual,
        ["gt"] = ConditionOperator.GreaterThan,
        ["ge"] = ConditionOperator.GreaterEqual,
        ["lt"] = ConditionOperator.LessThan,
        ["le"] = ConditionOperator.LessEqual,
        ["like"] = ConditionOperator.Like,
        ["not-like"] = ConditionOperator.NotLike,
        ["begins-with"] = ConditionOperator.BeginsWith,
        ["not-begin-with"] = ConditionOperator.DoesNotBeginWith,
        ["ends-with"] = ConditionOperator.EndsWith,
        ["not-end-with"] = ConditionOperator.DoesNotEndWith,
        ["in"] = ConditionOperator.In,
        ["not-in"] = ConditionOperator.NotIn,
        ["between"] = ConditionOperator.Between,
        ["not-between"] = ConditionOperator.NotBetween,
        ["null"] = ConditionOperator.Null,
        ["not-null"] = ConditionOperator.NotNull,
        ["eq-userid"] = ConditionOperator.EqualUserId,
        ["ne-userid"] = ConditionOperator.NotEqualUserId,
        ["eq-businessid"] = ConditionOperator.EqualBusinessId,
        ["ne-businessid"] = ConditionOperator.NotEqualBusinessId,
        ["today"] = ConditionOperator.Today,
        ["yesterday"] = ConditionOperator.Yesterday,
        ["tomorrow"] = ConditionOperator.Tomorrow,
        ["last-seven-days"] = ConditionOperator.Last7Days,
        ["next-seven-days"] = ConditionOperator.Next7Days,
        ["last-x-days"] = ConditionOperator.LastXDays,
        ["next-x-days"] = ConditionOperator.NextXDays,
        ["on"] = ConditionOperator.On,
        ["on-or-after"] = ConditionOperator.OnOrAfter,
        ["on-or-before"] = ConditionOperator.OnOrBefore,
    };

    /// <summary>Operators that take no value.</summary>
    private static readonly HashSet<ConditionOperator> NoValue =
    [
        ConditionOperator.Null, ConditionOperator.NotNull, ConditionOperator.EqualUserId, ConditionOperator.NotEqualUserId,
        ConditionOperator.EqualBusinessId, ConditionOperator.NotEqualBusinessId, ConditionOperator.Today, ConditionOperator.Yesterday,
        ConditionOperator.Tomorrow, ConditionOperator.Last7Days, ConditionOperator.Next7Days,
    ];

    public static ConditionExpression Read(XmlElement element, string? entityName)
    {
        Allow(element, "attribute", "operator", "value", "entityname", "valueof", "uiname", "uitype", "uihidden");
        var attribute = Required(element, "attribute");
        var name = Required(element, "operator");
        if (!Operators.TryGetValue(name, out var op))
        {
            throw Invalid($"The condition operator '{name}' is not valid or not supported in FetchXML (attribute '{attribute}').");
        }
        var condition = new ConditionExpression { AttributeName = attribute, Operator = op, Values = new List<object?>() };
        if (element.GetAttribute("entityname") is { Length: > 0 } alias)
        {
            condition.EntityName = alias;
        }
        else
        {
            condition.EntityName = entityName;
        }
        if (element.GetAttribute("valueof") is { Length: > 0 } other)
        {
            condition.CompareColumns = true;
            condition.Values.Add(other);
            return condition;
        }
        var children = Children(element).ToList();
        if (children.Find(c => c.Name != "value") is { } wrong)
        {
            throw Invalid($"The element <{wrong.Name}> is not valid inside <condition>.");
        }
        if (element.HasAttribute("value"))
        {
            if (children.Count > 0)
            {
                throw Invalid($"The condition on '{attribute}' has both a value attribute and <value> elements.");
            }
            condition.Values.Add(element.GetAttribute("value"));
        }
        else
        {
            condition.Values.AddRange(children.Select(c => (object?)c.InnerText));
        }
        if (NoValue.Contains(op) && condition.Values.Count > 0)
        {
            throw Invalid($"The condition operator '{name}' on '{attribute}' takes no value.");
        }
        if (!NoValue.Contains(op) && op is not (ConditionOperator.In or ConditionOperator.NotIn) && condition.Values.Count == 0)
        {
            throw Invalid($"The condition operator '{name}' on '{attribute}' needs a value.");
        }
        return condition;
    }
}
