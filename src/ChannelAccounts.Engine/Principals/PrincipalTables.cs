using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Principals;

/// <summary>A many-to-many relationship kept in an intersect table, e.g. systemuserroles_association: systemuser ↔ role.</summary>
public sealed record ManyToManyRelationship(string SchemaName, string IntersectEntity,
    string Entity1, string Entity1Attribute, string Entity2, string Entity2Attribute, string WritePrivilege)
{
    /// <summary>The intersect columns (this side, other side) seen from one of the two tables.</summary>
    public (string Own, string Other, string OtherEntity) From(string entity) =>
        entity == Entity1 ? (Entity1Attribute, Entity2Attribute, Entity2)
        : entity == Entity2 ? (Entity2Attribute, Entity1Attribute, Entity1)
        : throw new ArgumentException($"'{SchemaName}' does not relate '{entity}'.", nameof(entity));
}

/// <summary>
/// The tables of the security model that can be managed through the record messages, the privilege each write
/// needs (only System Administrators hold them here), and the many-to-many relationships between them.
/// </summary>
public static class PrincipalTables
{
    public static readonly IReadOnlyList<ManyToManyRelationship> Relationships =
    [
        new("systemuserroles_association", MetadataCatalog.SystemUserRoles, MetadataCatalog.SystemUser, "systemuserid", MetadataCatalog.Role, "roleid", "prvAssignRole"),
        new("teamroles_association", MetadataCatalog.TeamRoles, MetadataCatalog.Team, "teamid", MetadataCatalog.Role, "roleid", "prvAssignRole"),
        new("teammembership_association", MetadataCatalog.TeamMembership, MetadataCatalog.SystemUser, "systemuserid", MetadataCatalog.Team, "teamid", "prvWriteTeam"),
    ];

    /// <summary>Writable through Create/Update/Delete by a System Administrator.</summary>
    public static bool IsManaged(string logicalName) =>
        logicalName is MetadataCatalog.SystemUser or MetadataCatalog.Team or MetadataCatalog.BusinessUnit or MetadataCatalog.Role;

    /// <summary>
    /// Readable through Retrieve/RetrieveMultiple by any user (Dataverse gives every role prvReadUser and the like),
    /// the intersect tables too: who holds which role and who sits in which team, which a query reaches by linking
    /// them as FetchXML's intersect link-entities do; and which privileges, at which depth, each role grants.
    /// </summary>
    public static bool IsReadable(string logicalName) => IsManaged(logicalName)
        || logicalName is MetadataCatalog.Privilege or MetadataCatalog.Organization or MetadataCatalog.RolePrivileges
        || Relationships.Any(r => r.IntersectEntity == logicalName);

    /// <summary>Dataverse's privilege name for a write to a principal table: prvCreateUser, prvWriteTeam, prvDeleteRole…</summary>
    public static string PrivilegeFor(string verb, string logicalName) => "prv" + verb + logicalName switch
    {
        MetadataCatalog.SystemUser => "User",
        MetadataCatalog.Team => "Team",
        MetadataCatalog.BusinessUnit => "BusinessUnit",
        MetadataCatalog.Role => "Role",
        _ => logicalName,
    };

    public static ManyToManyRelationship Relationship(string schemaName) =>
        Relationships.FirstOrDefault(r => r.SchemaName == schemaName)
        ?? throw Pipeline.DataverseFault.InvalidArgument(
            $"There is no relationship '{schemaName}'; this server has {string.Join(", ", Relationships.Select(r => r.SchemaName))}.");
}
