using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;

namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// The assumed half of a store transaction: facts the engine knows from its cache (the security stamp, an owner's
/// business unit) taken as true and checked by the database in the same round trip as the transaction's next
/// statement (one DbBatch: the checks first, the statement last), or alone before commit. On PostgreSQL a cached
/// caller's Create is then one batch and the COMMIT, where reading each fact first cost a round trip apiece.
/// </summary>
internal sealed partial class SqlStoreTransaction
{
    private static readonly string[] BusinessUnitColumn = ["businessunitid"];

    private long? _securityStamp;
    private long? _assumedStamp;
    private List<AssumedUnit>? _assumedUnits;
    private DbBatch? _checkBatch;
    private bool _changedSecurity;

    public bool TryAssumeSecurityStamp(long stamp)
    {
        if (!CanDeferChecks || _securityStamp is not null || _assumedStamp is not null || _changedSecurity)
        {
            return false;
        }
        _assumedStamp = stamp;
        return true;
    }

    public bool TryAssumeBusinessUnit(EntityDefinition principal, Guid id, Guid businessUnitId)
    {
        // Only a writer locks the owner's row, and only where writers run side by side (SQLite's wait for each other).
        if (!CanDeferChecks || transaction is null || _dialect.SerializesWriters)
        {
            return false;
        }
        _assumedUnits ??= [];
        if (!_assumedUnits.Exists(u => u.Id == id))
        {
            _assumedUnits.Add(new AssumedUnit(principal, id, businessUnitId));
        }
        return true;
    }

    public long? KnownSecurityStamp => _changedSecurity ? null : _securityStamp ?? _assumedStamp;

    /// <summary>
    /// A check can wait for the next statement only on a store that batches statements and on a transaction of one
    /// message: SQLite reads the stamp in process, and its reads and group commits share their transactions.
    /// </summary>
    private bool CanDeferChecks => shared is null && connection.Connection.CanCreateBatch;

    private bool HasAssumptions => _assumedStamp is not null || _assumedUnits is { Count: > 0 };

    /// <summary>A statement's reader; while anything is assumed, its checks run first in the same round trip.</summary>
    private Task<DbDataReader> ExecuteReaderAsync(DbCommand command, CancellationToken cancellationToken) =>
        HasAssumptions ? ExecuteCheckedAsync(command, cancellationToken) : command.ExecuteReaderAsync(cancellationToken);

    /// <summary>A statement's count of rows changed; while anything is assumed, its checks run first in the same round trip.</summary>
    private async Task<int> ExecuteNonQueryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (!HasAssumptions)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await (await ExecuteCheckedAsync(command, cancellationToken)).DisposeAsync(); // reads the statement to its end
        return _checkBatch!.BatchCommands[^1].RecordsAffected;
    }

    /// <summary>A statement's first value; while anything is assumed, its checks run first in the same round trip.</summary>
    private async Task<object?> ExecuteScalarAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (!HasAssumptions)
        {
            return await command.ExecuteScalarAsync(cancellationToken);
        }

        await using var reader = await ExecuteCheckedAsync(command, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetValue(0) : null;
    }

    /// <summary>Checks whatever is assumed, alone (before commit, or before a fault is reported).</summary>
    private async ValueTask ConfirmAssumptionsAsync(CancellationToken cancellationToken) =>
        await (await ExecuteCheckedAsync(null, cancellationToken)).DisposeAsync();

    /// <summary>
    /// One batch: the stamp read (if assumed), each assumed owner's row read with RetrieveForShareAsync's lock, then
    /// the statement. The checks' results are read and compared before the statement's: a moved stamp throws
    /// SecurityStampChangedException, a moved owner BusinessUnitMovedException, and the reader is returned at the
    /// statement's result. The owner's lock holds to commit, so the unit it confirms is the unit at commit.
    /// </summary>
    private async Task<DbDataReader> ExecuteCheckedAsync(DbCommand? command, CancellationToken cancellationToken)
    {
        _checkBatch?.Dispose();
        var batch = _checkBatch = connection.Connection.CreateBatch();
        batch.Transaction = transaction;
        var stamp = _assumedStamp;
        var units = _assumedUnits ?? [];
        _assumedUnits = null;
        if (stamp is not null)
        {
            Add(batch, SecurityStamp.ReadSql, []);
        }
        foreach (var unit in units)
        {
            var check = Add(batch, store.Compiler.CompileRetrieve(unit.Principal, BusinessUnitColumn, RowLock.Share).Sql, []);
            var id = check.CreateParameter();
            id.Value = unit.Id;
            check.Parameters.Add(id);
        }
        if (command is not null)
        {
            var parameters = command.Parameters.Cast<DbParameter>().ToArray();
            command.Parameters.Clear(); // a parameter belongs to one collection at a time
            Add(batch, command.CommandText, parameters);
        }

        var reader = await batch.ExecuteReaderAsync(cancellationToken);
        try
        {
            if (stamp is not null)
            {
                await reader.ReadAsync(cancellationToken);
                ConfirmStamp(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                await reader.NextResultAsync(cancellationToken);
            }
            foreach (var unit in units)
            {
                var found = await reader.ReadAsync(cancellationToken) ? reader.GetValue(0) : null;
                if (!unit.BusinessUnitId.Equals(found))
                {
                    throw new BusinessUnitMovedException(unit.Principal.LogicalName, unit.Id);
                }
                await reader.NextResultAsync(cancellationToken);
            }
            return reader;
        }
        catch (Exception e)
        {
            try
            {
                await reader.DisposeAsync();
            }
            catch (DbException) when (e is StaleAssumptionException)
            {
                // The statement after the failed check failed too (a unique key, say); the transaction rolls back and
                // the message runs again, so the stale check is what counts.
            }
            throw;
        }
    }

    private static DbBatchCommand Add(DbBatch batch, string sql, DbParameter[] parameters)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        command.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(command);
        return command;
    }

    /// <summary>Records the stamp read from the database; an assumption that differs from it throws.</summary>
    private void ConfirmStamp(long current)
    {
        _securityStamp = current;
        var assumed = _assumedStamp;
        _assumedStamp = null;
        if (assumed is { } value && value != current)
        {
            throw new SecurityStampChangedException(current);
        }
    }

    public async ValueTask<long?> SecurityStampAsync(CancellationToken cancellationToken = default)
    {
        if (_changedSecurity)
        {
            return null;
        }
        if (_assumedStamp is not null)
        {
            await ConfirmAssumptionsAsync(cancellationToken);
        }
        else if (_securityStamp is null)
        {
            if (transaction is null && shared is null)
            {
                // A reader in autocommit (PostgreSQL) that reads the stamp itself is about to load rights (the caller,
                // roles, privileges) and then the data over several statements, and Read Committed would give each
                // its own snapshot: a security change committing in between could mix old and new rights, or apply
                // rights to data of another moment. One Repeatable Read snapshot from the stamp on keeps them one
                // moment; read-only, it never fails to serialize. Npgsql sends BEGIN with the stamp's statement, so
                // the cost is the COMMIT, on this path alone (a cached caller's read assumes the stamp instead).
                transaction = await connection.Connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
            }
            var command = Reusable(SecurityStamp.ReadSql);
            ConfirmStamp(Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
        }
        return _securityStamp;
    }

    public ValueTask LockSecurityDataAsync(CancellationToken cancellationToken = default) =>
        ChangeSecurityStampIfNeededAsync(store.Catalog[MetadataCatalog.Role], cancellationToken);

    /// <summary>
    /// Once per transaction, before its first write to a security table (the row lock also orders concurrent security
    /// writers). An assumed stamp is confirmed in the same round trip, before this transaction's own change hides it.
    /// </summary>
    private async ValueTask ChangeSecurityStampIfNeededAsync(EntityDefinition entity, CancellationToken cancellationToken)
    {
        if (_changedSecurity || !SecurityStamp.Tables.Contains(entity.LogicalName))
        {
            return;
        }
        var command = Reusable(SecurityStamp.ChangeSql(_dialect));
        _dialect.AddParameter(command, SecurityStamp.NewValue(), AttributeTypeCode.BigInt);
        await ExecuteNonQueryAsync(command, cancellationToken);
        _changedSecurity = true;
    }

    /// <summary>An owner's business unit taken from the cache, to check against its row (locked) before commit.</summary>
    private readonly record struct AssumedUnit(EntityDefinition Principal, Guid Id, Guid BusinessUnitId);
}
