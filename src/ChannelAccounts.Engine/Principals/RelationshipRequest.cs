using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Principals;

/// <summary>What Associate and Disassociate check before touching an intersect table.</summary>
public static class RelationshipRequest
{
    public static async ValueTask<(ManyToManyRelationship Relationship, EntityReference Target)> ResolveAsync(EntityReference? target,
        Relationship? relationship, MessageContext context, CancellationToken cancellationToken)
    {
        if (target is null || relationship is null)
        {
            throw DataverseFault.InvalidArgument("Associate and Disassociate need a Target and a Relationship.");
        }

        var definition = PrincipalTables.Relationship(relationship.SchemaName);
        var entity = Records.RecordWriter.KnownEntity(target.LogicalName, context);
        _ = definition.From(entity.LogicalName); // the target must be one side of the relationship
        await PrincipalWriter.DemandPrivilegeAsync(definition.WritePrivilege, entity, context, cancellationToken);
        return (definition, target);
    }

    public static void CheckRelated(ManyToManyRelationship relationship, string targetEntity, EntityReference related)
    {
        var (_, _, otherEntity) = relationship.From(targetEntity);
        if (related.LogicalName != otherEntity)
        {
            throw DataverseFault.InvalidArgument($"'{relationship.SchemaName}' relates a {targetEntity} to a {otherEntity}, not to a {related.LogicalName}.");
        }
    }
}
