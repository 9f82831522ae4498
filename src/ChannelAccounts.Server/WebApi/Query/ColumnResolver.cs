using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Server.WebApi.Edm;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>Maps an EDM property name (msdyn_name, _ownerid_value) to the table's column (msdyn_name, ownerid).</summary>
internal static class ColumnResolver
{
    /// <summary>The column an EDM property name stands for, or null. A lookup is also found by its own name (ownerid).</summary>
    public static AttributeDefinition? Find(EntityDefinition entity, string propertyName)
    {
        if (entity.TryGetAttribute(propertyName, out var attribute) && EdmModelBuilder.IsInModel(attribute))
        {
            return attribute;
        }

        var lookup = EdmModelBuilder.LookupColumnOf(propertyName);
        return lookup is not null && entity.TryGetAttribute(lookup, out attribute) && attribute.IsLookup ? attribute : null;
    }

    /// <summary>As <see cref="Find"/>, for names the parser has already bound to the model (a miss is a bug).</summary>
    public static AttributeDefinition Get(EntityDefinition entity, string propertyName) =>
        Find(entity, propertyName)
        ?? throw new InvalidOperationException($"The EDM property '{propertyName}' has no column in '{entity.LogicalName}'.");
}
