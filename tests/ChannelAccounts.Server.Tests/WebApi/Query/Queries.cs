using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Server.WebApi.Query;

namespace ChannelAccounts.Server.Tests.WebApi.Query;

/// <summary>Shorthands to translate a query on the WhatsApp account table.</summary>
internal static class Queries
{
    public static EntityDefinition WhatsApp => MetadataCatalog.Default[MetadataCatalog.WhatsAppAccount];

    public static ODataQueryResult Translate(ODataQueryOptions options) => ODataQueryTranslator.Default.Translate(WhatsApp, options);

    public static FilterExpression Filter(string filter, params (string Name, string Value)[] aliases) =>
        Translate(new ODataQueryOptions(Filter: filter, Aliases: aliases.ToDictionary(a => a.Name, a => a.Value))).Query.Criteria;

    /// <summary>The filter's only condition.</summary>
    public static ConditionExpression Condition(string filter, params (string Name, string Value)[] aliases)
    {
        var criteria = Filter(filter, aliases);
        Assert.Empty(criteria.Filters);
        return Assert.Single(criteria.Conditions);
    }

    public static OrganizationServiceFaultException Fault(ODataQueryOptions options, int code = ErrorCodes.None)
    {
        var fault = Assert.Throws<OrganizationServiceFaultException>(() => Translate(options));
        Assert.Equal(code, fault.ErrorCode);
        return fault;
    }

    public static void AssertCondition(ConditionExpression condition, string attribute, ConditionOperator op, params object?[] values)
    {
        Assert.Equal(attribute, condition.AttributeName);
        Assert.Equal(op, condition.Operator);
        Assert.Equal(values, condition.Values);
        Assert.False(condition.CompareColumns);
    }
}
