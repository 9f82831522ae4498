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

    /// <summary>
    /// As <see cref="Find"/>, for names the parser has bound to the model. A miss is a name the model has but no column
    /// stands for (a navigation property in $select, a property of the expanded record's parent): a 400 naming it.
    /// </summary>
    public static AttributeDefinition Get(EntityDefinition entity, string propertyName) =>
        Find(entity, propertyName)
        ?? throw ODataQueryFaults.BadQuery(
            $"'{propertyName}' is not a column of '{entity.LogicalName}' that can be selected, filtered or sorted here; " +
            "name the table's own columns (a lookup as _name_value), and related records with $expand.");
}
