using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Security;

/// <summary>What the access messages share: the target record's ownership (locked for writers) and the principal a message names.</summary>
public static class RecordAccess
{
    private static readonly string[] PrincipalColumns = ["businessunitid"];

    public static async ValueTask<(EntityDefinition Entity, RecordOwnership Record)> TargetAsync(EntityReference? target, MessageContext context,
        CancellationToken cancellationToken)
    {
        if (target is null)
        {
            throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        }

        var entity = RecordWriter.SupportedEntity(target.LogicalName, context);
        var row = await context.Transaction.RetrieveForUpdateAsync(entity, target.Id, AccessChecker.OwnershipColumns, cancellationToken)
            ?? throw DataverseFault.RecordNotFound(entity.LogicalName, target.Id);
        return (entity, RecordOwnership.From(target.Id, row));
    }

    /// <summary>The security profile of a systemuser or team named by a message, from live data; 404 when it does not exist.</summary>
    public static ValueTask<SecurityProfile> PrincipalAsync(EntityReference? principal, MessageContext context, CancellationToken cancellationToken) =>
        PrincipalAsync(principal, hold: false, context, cancellationToken);

    /// <summary>
    /// Like PrincipalAsync, for a principal a share is about to name: its row is held until the message commits, so
    /// a concurrent delete of the team either waits and then removes the share with the team, or goes first (404).
    /// </summary>
    public static ValueTask<SecurityProfile> SharePrincipalAsync(EntityReference? principal, MessageContext context, CancellationToken cancellationToken) =>
        PrincipalAsync(principal, hold: true, context, cancellationToken);

    private static async ValueTask<SecurityProfile> PrincipalAsync(EntityReference? principal, bool hold, MessageContext context,
        CancellationToken cancellationToken)
    {
        if (principal is null || principal.LogicalName is not (MetadataCatalog.SystemUser or MetadataCatalog.Team))
        {
            throw DataverseFault.InvalidArgument("The principal must be a systemuser or a team.");
        }

        var table = context.Catalog[principal.LogicalName];
        var row = await (hold
                      ? context.Transaction.RetrieveForShareAsync(table, principal.Id, PrincipalColumns, cancellationToken)
                      : context.Transaction.RetrieveAsync(table, principal.Id, PrincipalColumns, cancellationToken))
            ?? throw DataverseFault.RecordNotFound(principal.LogicalName, principal.Id);
        var businessUnitId = (Guid)row["businessunitid"]!;
        return principal.LogicalName == MetadataCatalog.Team
            ? await context.Access.Loader.ForTeamAsync(principal.Id, businessUnitId, cancellationToken)
            : await context.Access.Loader.ForUserAsync(principal.Id, businessUnitId, cancellationToken);
    }
}
