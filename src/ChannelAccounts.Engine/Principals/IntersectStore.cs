using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Principals;

/// <summary>Rows of the intersect tables (memberships, role assignments): one per pair, with an id that follows from the pair.</summary>
public static class IntersectStore
{
    /// <summary>Links the two records; linking a pair that is already linked changes nothing.</summary>
    public static async ValueTask LinkAsync(ManyToManyRelationship relationship, string fromEntity, Guid fromId, Guid toId,
        MessageContext context, CancellationToken cancellationToken)
    {
        var (own, other, otherEntity) = relationship.From(fromEntity);
        // Before the "already linked" check, so parallel links of one pair store one row and all answer as the first.
        await PrincipalWriter.HoldSecurityDataAsync(context, cancellationToken);
        await PrincipalWriter.RequireAsync(context, fromEntity, fromId, cancellationToken);
        await PrincipalWriter.RequireAsync(context, otherEntity, toId, cancellationToken);
        var intersect = context.Catalog[relationship.IntersectEntity];
        var id = PairId(relationship, own, fromId, toId);
        if (await context.Transaction.RetrieveAsync(intersect, id, [], cancellationToken) is not null)
        {
            return;
        }

        await context.Transaction.InsertAsync(intersect, new StoredRow
        {
            [intersect.PrimaryIdAttribute] = id,
            [own] = fromId,
            [other] = toId,
            ["createdon"] = context.UtcNow,
            ["modifiedon"] = context.UtcNow,
            ["versionnumber"] = await context.Transaction.NextVersionAsync(cancellationToken),
        }, cancellationToken);
    }

    /// <summary>Unlinks the two records; a pair that is not linked is left as it is.</summary>
    public static async ValueTask UnlinkAsync(ManyToManyRelationship relationship, string fromEntity, Guid fromId, Guid toId,
        MessageContext context, CancellationToken cancellationToken)
    {
        var (own, _, _) = relationship.From(fromEntity);
        await PrincipalWriter.HoldSecurityDataAsync(context, cancellationToken);
        await context.Transaction.DeleteAsync(context.Catalog[relationship.IntersectEntity], PairId(relationship, own, fromId, toId), cancellationToken);
    }

    /// <summary>The same id whichever side the pair is named from (and the one SecuritySeed uses for systemuserroles).</summary>
    private static Guid PairId(ManyToManyRelationship relationship, string ownAttribute, Guid fromId, Guid toId)
    {
        var (first, second) = ownAttribute == relationship.Entity1Attribute ? (fromId, toId) : (toId, fromId);
        return SecurityCatalog.DeterministicId($"{relationship.IntersectEntity}:{first}:{second}");
    }
}
