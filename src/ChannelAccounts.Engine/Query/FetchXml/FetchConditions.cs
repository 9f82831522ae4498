using System.Xml;
using ChannelAccounts.Sdk.Query;
using static ChannelAccounts.Engine.Query.FetchXml.FetchXmlParser;

namespace ChannelAccounts.Engine.Query.FetchXml;

/// <summary>&lt;condition attribute= operator= value=&gt; (or &lt;value&gt; children) as a ConditionExpression.</summary>
internal static class FetchConditions
{
    public static ConditionExpression Read(XmlElement element, string? entityName)
    {
        Allow(element, "attribute", "operator", "value", "entityname", "valueof", "uiname", "uitype", "uihidden");
        var attribute = Required(element, "attribute");
        var name = Required(element, "operator");
        if (!ConditionOperatorForms.TryParseFetchXml(name, out var op))
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
            if (element.HasAttribute("value") || Children(element).Any())
            {
                throw Invalid($"The condition on '{attribute}' has both valueof and a value; compare with a column (valueof) or with values, not both.");
            }

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
        if (ConditionOperatorForms.ValueKind(op) == ConditionValueKind.None && condition.Values.Count > 0)
        {
            throw Invalid($"The condition operator '{name}' on '{attribute}' takes no value.");
        }
        if (ConditionOperatorForms.ValueKind(op) != ConditionValueKind.None && op is not (ConditionOperator.In or ConditionOperator.NotIn) && condition.Values.Count == 0)
        {
            throw Invalid($"The condition operator '{name}' on '{attribute}' needs a value.");
        }
        return condition;
    }
}
