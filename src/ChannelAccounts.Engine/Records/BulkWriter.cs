using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
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

    public static async ValueTask UpdateAsync(IList<Entity> targets, MessageContext context, CancellationToken cancellationToken)
    {
        for (var i = 0; i < targets.Count; i++)
        {
            await At(i, async () =>
            {
                await RecordWriter.UpdateAsync(targets[i], Sdk.Messages.ConcurrencyBehavior.Default, context, cancellationToken);
                return true;
            });
        }
    }

    /// <summary>Updates the targets whose records exist (row by row), then creates the others in one set-based insert.</summary>
    public static async ValueTask<Sdk.Messages.UpsertResponse[]> UpsertAsync(IList<Entity> targets, MessageContext context, CancellationToken cancellationToken)
    {
        var entity = context.Catalog[MetadataCatalog.WhatsAppAccount];
        var results = new Sdk.Messages.UpsertResponse[targets.Count];
        var creates = new List<(int Index, Entity Target)>();
        var ids = new HashSet<Guid>();
        for (var i = 0; i < targets.Count; i++)
        {
            var id = await At(i, () => ValueTask.FromResult(RecordWriter.ResolveId(entity, targets[i])));
            if (id is { } given && !ids.Add(given))
            {
                throw DuplicateId(i, given);
            }

            if (id is { } existing && await context.Transaction.RetrieveAsync(entity, existing, [], cancellationToken) is not null)
            {
                await At(i, async () =>
                {
                    await RecordWriter.UpdateAsync(targets[i], Sdk.Messages.ConcurrencyBehavior.Default, context, cancellationToken);
                    return true;
                });
                results[i] = new() { RecordCreated = false, Target = new(entity.LogicalName, existing) };
            }
            else
            {
                creates.Add((i, targets[i]));
            }
        }

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
