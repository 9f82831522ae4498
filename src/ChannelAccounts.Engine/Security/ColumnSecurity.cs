using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Security;

/// <summary>Dataverse column security on read: a secured column comes back null to a caller whose roles may not read it.</summary>
public static class ColumnSecurity
{
    public static void Apply(EntityDefinition entity, SecurityProfile caller, Entity record)
    {
        if (caller.ReadsSecuredColumns)
        {
            return;
        }

        foreach (var attribute in entity.Attributes)
        {
            if (attribute.IsSecured && record.Attributes.ContainsKey(attribute.LogicalName))
            {
                record[attribute.LogicalName] = null;
                record.FormattedValues.Remove(attribute.LogicalName);
            }
        }
    }
}
