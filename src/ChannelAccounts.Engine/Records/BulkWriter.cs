using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;

namespace ChannelAccounts.Engine.Records;

/// <summary>
/// CreateMultiple, UpdateMultiple and UpsertMultiple: each target passes through RecordWriter's own rules, inside the
/// one transaction of the message, so any failure leaves nothing behind. Creates are written set-based (one block of
/// version numbers, multi-row INSERTs); updates run row by row on the transaction's prepared commands.
/// </summary>
public static class BulkWriter
{
    /// <summary>The targets, checked: present, within the limit, and every one a record of the served table.</summary>
    public static IList<Entity> Targets(EntityCollection? targets, string message, MessageContext context)
    {
        var list = targets?.Entities ?? throw DataverseFault.InvalidArgument("Required field 'Targets' is missing.");
        if (list.Count == 0)
        {
            throw DataverseFault.InvalidArgument($"{message} needs at least one record in Targets.");
        }

        var limit = context.Options.MaxBulkTargets;
        if (list.Count > limit)
        {
            throw DataverseFault.InvalidArgument(
                $"{message} received {list.Count} targets; the limit is {limit} per request. Send them in several requests of at most {limit}.");
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i]?.LogicalName != MetadataCatalog.WhatsAppAccount)
            {
                throw DataverseFault.InvalidArgument(
                    $"Targets[{i}] is {(list[i] is null ? "null" : $"a '{list[i].LogicalName}' record")}; every target of {message} must be a '{MetadataCatalog.WhatsAppAccount}' record.");
            }
        }

        return list;
    }

    public static async ValueTask<Guid[]> CreateAsync(IList<Entity> targets, MessageContext context, CancellationToken cancellationToken)
    {
        var prepared = new List<PreparedRow>(targets.Count);
        var ids = new HashSet<Guid>();
        for (var i = 0; i < targets.Count; i++)
        {
            var row = await At(i, () => RecordWriter.PrepareCreateAsync(targets[i], context, cancellationToken));
            if (!ids.Add(row.Id))
            {
                throw DuplicateId(i, row.Id);
            }

            prepared.Add(row);
        }

        var versions = await context.Transaction.NextVersionsAsync(prepared.Count, cancellationToken);
        for (var i = 0; i < prepared.Count; i++)
        {
            prepared[i].Row["versionnumber"] = versions[i];
        }

        await context.Transaction.InsertManyAsync(prepared[0].Entity, prepared.ConvertAll(p => p.Row), cancellationToken);
        return prepared.ConvertAll(p => p.Id).ToArray();
    }

    /// <summary>
    /// The checks and system columns of Update, written set-based: one read (and lock) of all the records, one
    /// reservation of version numbers, and multi-row UPDATE statements.
    /// </summary>
    public static async ValueTask UpdateAsync(IList<Entity> targets, MessageContext context, CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return;
        }

        var (entity, ids) = await IdsAsync(targets, context, required: true);
        var current = await context.Transaction.RetrieveManyForUpdateAsync(entity, [.. ids.Select(id => id!.Value)], RecordWriter.UpdateReads, cancellationToken);
        var updates = new List<PendingUpdate>(targets.Count);
        var missing = new List<int>();
        for (var i = 0; i < targets.Count; i++)
        {
            var id = ids[i]!.Value;
            if (current.TryGetValue(id, out var row))
            {
                updates.Add(new PendingUpdate(i, targets[i], id, row));
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            // Dataverse's words for a bulk update: every missing id at once ("Contact With Ids = … Do Not Exist").
            throw new OrganizationServiceFaultException(ErrorCodes.ObjectDoesNotExist,
                $"{entity.SchemaName} With Ids = {string.Join(", ", missing.Select(i => ids[i]))} Do Not Exist " +
                $"({string.Join(", ", missing.Select(i => $"Targets[{i}]"))}); nothing was updated.");
        }

        await WriteUpdatesAsync(entity, updates, context, cancellationToken);
    }

    /// <summary>
    /// Updates the targets whose records exist and creates the others, both set-based: one read of the named
    /// records, multi-row UPDATE statements, then one multi-row insert.
    /// </summary>
    public static async ValueTask<Sdk.Messages.UpsertResponse[]> UpsertAsync(IList<Entity> targets, MessageContext context, CancellationToken cancellationToken)
    {
        var results = new Sdk.Messages.UpsertResponse[targets.Count];
        if (targets.Count == 0)
        {
            return results;
        }

        var (entity, ids) = await IdsAsync(targets, context, required: false);
        var current = await context.Transaction.RetrieveManyForUpdateAsync(entity, [.. ids.OfType<Guid>()], RecordWriter.UpdateReads, cancellationToken);
        var updates = new List<PendingUpdate>();
        var creates = new List<(int Index, Entity Target)>();
        for (var i = 0; i < targets.Count; i++)
        {
            if (ids[i] is { } id && current.TryGetValue(id, out var row))
            {
                updates.Add(new PendingUpdate(i, targets[i], id, row));
                results[i] = new() { RecordCreated = false, Target = new(entity.LogicalName, id) };
            }
            else
            {
                creates.Add((i, targets[i]));
            }
        }

        await WriteUpdatesAsync(entity, updates, context, cancellationToken);
        if (creates.Count > 0)
        {
            var created = await CreateAsync(creates.ConvertAll(c => c.Target), context, cancellationToken);
            for (var c = 0; c < creates.Count; c++)
            {
                results[creates[c].Index] = new() { RecordCreated = true, Target = new(entity.LogicalName, created[c]) };
            }
        }

        return results;
    }

    /// <summary>A target whose record exists, with the row its checks read.</summary>
    private sealed record PendingUpdate(int Index, Entity Target, Guid Id, StoredRow Current);

    /// <summary>The table of the targets (one for all) and the id each names; a repeated id is refused.</summary>
    private static async ValueTask<(EntityDefinition Entity, Guid?[] Ids)> IdsAsync(IList<Entity> targets, MessageContext context, bool required)
    {
        var entity = await At(0, () => ValueTask.FromResult(RecordWriter.WritableEntity(targets[0], context)));
        var ids = new Guid?[targets.Count];
        var seen = new HashSet<Guid>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            ids[i] = await At(i, () => ValueTask.FromResult<Guid?>(required
                ? RecordWriter.UpdateId(SameEntity(entity, target, context), target)
                : RecordWriter.ResolveId(SameEntity(entity, target, context), target)));
            if (ids[i] is { } id && !seen.Add(id))
            {
                throw DuplicateId(i, id);
            }
        }

        return (entity, ids);
    }

    private static async ValueTask WriteUpdatesAsync(EntityDefinition entity, List<PendingUpdate> updates, MessageContext context,
        CancellationToken cancellationToken)
    {
        if (updates.Count == 0)
        {
            return;
        }

        var versions = await context.Transaction.NextVersionsAsync(updates.Count, cancellationToken);
        var rows = new List<StoredRow>(updates.Count);
        for (var u = 0; u < updates.Count; u++)
        {
            var update = updates[u];
            var changes = await At(update.Index, () => RecordWriter.PrepareUpdateAsync(entity, update.Id, update.Target,
                Sdk.Messages.ConcurrencyBehavior.Default, update.Current, context, cancellationToken));
            changes["versionnumber"] = versions[u];
            changes[entity.PrimaryIdAttribute] = update.Id;
            rows.Add(changes);
        }

        var updated = await context.Transaction.UpdateManyAsync(entity, rows, cancellationToken);
        if (updated != rows.Count)
        {
            // The rows were read and locked in this transaction a moment ago.
            throw new InvalidOperationException($"A bulk update changed {updated} of the {rows.Count} records it had read.");
        }
    }

    /// <summary>Every target of one bulk message is a record of the same table.</summary>
    private static EntityDefinition SameEntity(EntityDefinition first, Entity target, MessageContext context)
    {
        var entity = RecordWriter.WritableEntity(target, context);
        return entity == first ? entity
            : throw DataverseFault.InvalidArgument($"The target is a {entity.LogicalName}, not a {first.LogicalName} as the first target is; one request writes records of one table.");
    }

    /// <summary>Runs the work of one target; a fault names the target's index in front of its own message.</summary>
    private static async ValueTask<T> At<T>(int index, Func<ValueTask<T>> work)
    {
        try
        {
            return await work();
        }
        catch (OrganizationServiceFaultException fault) when (!fault.Message.StartsWith("Targets[", StringComparison.Ordinal))
        {
            throw new OrganizationServiceFaultException(fault.ErrorCode, $"Targets[{index}]: {fault.Message}");
        }
    }

    private static OrganizationServiceFaultException DuplicateId(int index, Guid id) =>
        DataverseFault.InvalidArgument($"Targets[{index}] repeats the id {id} of an earlier target; each target of one request needs its own record id.");
}
