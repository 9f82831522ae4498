using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;

namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// The numbered half of a store transaction: a record written with the next version number, drawn in the INSERT or
/// UPDATE itself where the database has a sequence (PostgreSQL: one round trip instead of two, and together with the
/// assumed checks a cached caller's Create is a single batch).
/// </summary>
internal sealed partial class SqlStoreTransaction
{
    public async ValueTask<long> InsertNumberedAsync(EntityDefinition entity, StoredRow row, CancellationToken cancellationToken = default)
    {
        if (_dialect.NextVersionPerRowSql is null)
        {
            // SQLite numbers from a counter row in a statement of its own; its writers wait for each other anyway.
            row["versionnumber"] = await NextVersionAsync(cancellationToken);
            await InsertAsync(entity, row, cancellationToken);
            return (long)row["versionnumber"]!;
        }

        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        row.Remove("versionnumber");
        var columns = RecordStatements.Columns(entity, row);
        var command = Reusable(store.Statements.InsertNumbered(entity, columns));
        AddValues(command, columns, row);
        // No row back: the primary key existed (ON CONFLICT DO NOTHING).
        var version = await ReturnedVersionAsync(command, cancellationToken) ?? throw DataverseFault.DuplicateRecord();
        row["versionnumber"] = version;
        return version;
    }

    public async ValueTask<bool> UpdateNumberedAsync(EntityDefinition entity, Guid id, StoredRow changes, CancellationToken cancellationToken = default)
    {
        if (_dialect.NextVersionPerRowSql is null)
        {
            changes["versionnumber"] = await NextVersionAsync(cancellationToken);
            return await UpdateAsync(entity, id, changes, cancellationToken);
        }

        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        changes.Remove("versionnumber");
        var columns = RecordStatements.Columns(entity, changes);
        var command = Reusable(store.Statements.UpdateNumbered(entity, columns));
        AddValues(command, columns, changes);
        _dialect.AddParameter(command, id, AttributeTypeCode.Uniqueidentifier);
        if (await ReturnedVersionAsync(command, cancellationToken) is not { } version)
        {
            return false;
        }
        changes["versionnumber"] = version;
        return true;
    }

    /// <summary>The version number a write statement returned, or null when it wrote no row.</summary>
    private async ValueTask<long?> ReturnedVersionAsync(DbCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await using var reader = await ExecuteReaderAsync(command, cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            // A unique constraint other than the primary key (an alternate key).
            throw DataverseFault.DuplicateRecord();
        }
    }
}
