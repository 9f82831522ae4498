using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// The name of the collection-valued partner a lookup gets on its target type, after Dataverse's one-to-many
/// relationship names: ownerid → owner_x (on principal), owninguser → user_x, owningteam → team_x,
/// owningbusinessunit → business_unit_x, and lk_x_createdby for the other system lookups.
/// </summary>
public static class NavigationPartners
{
    private static readonly Dictionary<(string Entity, string Column), string> Known = new()
    {
        [(MetadataCatalog.SystemUser, "businessunitid")] = "business_unit_system_users",
        [(MetadataCatalog.Team, "businessunitid")] = "business_unit_teams",
        [(MetadataCatalog.Role, "businessunitid")] = "business_unit_roles",
        [(MetadataCatalog.BusinessUnit, "parentbusinessunitid")] = "business_unit_parent_business_unit",
        [(MetadataCatalog.BusinessUnit, "organizationid")] = "organization_business_units",
        [(MetadataCatalog.WhatsAppMessage, "ca_whatsappaccountid")] = "ca_msdyn_ocwhatsappchannelaccount_ca_whatsappmessage",
    };

    /// <summary>The lookup (and its table) behind the navigation property of this table, or null when it is not one-to-many.</summary>
    public static (EntityDefinition Table, AttributeDefinition Lookup)? OneToMany(MetadataCatalog catalog, EntityDefinition entity, string navigation)
    {
        foreach (var table in catalog.Entities)
        {
            foreach (var lookup in table.Attributes)
            {
                if (lookup.IsLookup && lookup.IsStored && lookup.Targets.Contains(entity.LogicalName, StringComparer.Ordinal)
                    && NameOf(table.LogicalName, lookup.LogicalName) == navigation)
                {
                    return (table, lookup);
                }
            }
        }

        return null;
    }

    public static string NameOf(string entity, string column)
    {
        if (Known.TryGetValue((entity, column), out var known))
        {
            return known;
        }

        return column switch
        {
            "ownerid" => "owner_" + entity,
            "owninguser" => "user_" + entity,
            "owningteam" => "team_" + entity,
            "owningbusinessunit" => "business_unit_" + entity,
            _ => $"lk_{entity}_{column}",
        };
    }
}
