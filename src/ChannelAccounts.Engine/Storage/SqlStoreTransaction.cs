using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// One ADO.NET transaction on a pooled connection, or one message's part of a shared one (shared is set); the SQL
/// comes from the store's dialect.
/// </summary>
internal sealed partial class SqlStoreTransaction(SqlDataStore store, PreparedConnection connection, DbTransaction? transaction,
    IDisposable? writerLock, ISharedTransactionEnd? shared = null)
    : IStoreTransaction
{
    private readonly SqlDialect _dialect = store.Dialect;
    private bool _disposed;

    /// <summary>The connection this transaction runs on (tests look at its prepared statements).</summary>
    internal DbConnection Connection => connection.Connection;

    public async ValueTask<long> NextVersionAsync(CancellationToken cancellationToken = default)
    {
        var command = Reusable(_dialect.NextVersionSql);
        return Convert.ToInt64(await ExecuteScalarAsync(command, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask<long[]> NextVersionsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var command = Reusable(_dialect.NextVersionsSql);
        _dialect.AddParameter(command, count, AttributeTypeCode.Integer);
        var values = new List<long>(count);
        await using (var reader = await ExecuteReaderAsync(command, cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                values.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        // One row is the last number of a block reserved at once.
        return values.Count == count ? [.. values.Order()]
            : values.Count == 1 ? [.. Enumerable.Range(0, count).Select(i => values[0] - count + 1 + i)]
            : throw new InvalidOperationException($"Reserving {count} version numbers returned {values.Count} rows.");
    }

    public ValueTask<StoredRow?> RetrieveAsync(EntityDefinition entity, Guid id, IReadOnlyCollection<string>? columns,
        CancellationToken cancellationToken = default) =>
        RetrieveAsync(entity, id, columns, RowLock.None, cancellationToken);

    public ValueTask<StoredRow?> RetrieveForUpdateAsync(EntityDefinition entity, Guid id, IReadOnlyCollection<string>? columns,
        CancellationToken cancellationToken = default) =>
        RetrieveAsync(entity, id, columns, RowLock.Update, cancellationToken);

    public ValueTask<StoredRow?> RetrieveForShareAsync(EntityDefinition entity, Guid id, IReadOnlyCollection<string>? columns,
        CancellationToken cancellationToken = default) =>
        RetrieveAsync(entity, id, columns, RowLock.Share, cancellationToken);

    public bool SerializesWriters => _dialect.SerializesWriters;

    private async ValueTask<StoredRow?> RetrieveAsync(EntityDefinition entity, Guid id, IReadOnlyCollection<string>? columns,
        RowLock rowLock, CancellationToken cancellationToken)
    {
        var (sql, outputs) = store.Compiler.CompileRetrieve(entity, columns, rowLock);
        var command = Reusable(sql);
        _dialect.AddParameter(command, id, AttributeTypeCode.Uniqueidentifier);
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? QueryRunner.ReadRow(reader, outputs, _dialect) : null;
    }

    public async ValueTask InsertAsync(EntityDefinition entity, StoredRow row, CancellationToken cancellationToken = default)
    {
        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        var columns = RecordStatements.Columns(entity, row);
        var command = Reusable(store.Statements.Insert(entity, columns));
        AddValues(command, columns, row);
        int inserted;
        try
        {
            inserted = await ExecuteNonQueryAsync(command, cancellationToken);
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            // Another unique constraint than the primary key.
            throw DataverseFault.DuplicateRecord();
        }
        if (inserted == 0)
        {
            throw DataverseFault.DuplicateRecord();
        }
    }

    public async ValueTask<bool> TryInsertAsync(EntityDefinition entity, StoredRow row, CancellationToken cancellationToken = default)
    {
        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        var columns = RecordStatements.Columns(entity, row);
        var command = Reusable(store.Statements.InsertIfAbsent(entity, columns));
        AddValues(command, columns, row);
        return await ExecuteNonQueryAsync(command, cancellationToken) > 0;
    }

    public async ValueTask<bool> UpdateAsync(EntityDefinition entity, Guid id, StoredRow changes, CancellationToken cancellationToken = default)
    {
        var columns = RecordStatements.Columns(entity, changes);
        if (columns.Length > 0)
        {
            await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        }
        var command = Reusable(columns.Length == 0 ? store.Statements.Exists(entity) : store.Statements.Update(entity, columns));
        if (columns.Length == 0)
        {
            _dialect.AddParameter(command, id, AttributeTypeCode.Uniqueidentifier);
            return await ExecuteScalarAsync(command, cancellationToken) is not null;
        }
        AddValues(command, columns, changes);
        _dialect.AddParameter(command, id, AttributeTypeCode.Uniqueidentifier);
        try
        {
            return await ExecuteNonQueryAsync(command, cancellationToken) > 0;
        }
        catch (DbException e) when (_dialect.IsUniqueViolation(e))
        {
            throw DataverseFault.DuplicateRecord();
        }
    }

    public async ValueTask<bool> DeleteAsync(EntityDefinition entity, Guid id, CancellationToken cancellationToken = default)
    {
        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        var command = Reusable(store.Statements.Delete(entity));
        _dialect.AddParameter(command, id, AttributeTypeCode.Uniqueidentifier);
        return await ExecuteNonQueryAsync(command, cancellationToken) > 0;
    }

    public ValueTask<QueryPage> QueryAsync(QueryExpression query, QueryContext context, CancellationToken cancellationToken = default) =>
        RefusingTooComplexAsync(QueryRunner.RunAsync(store.Compiler.Compile(query, context), Reusable, _dialect, cancellationToken, ExecuteReaderAsync));

    public ValueTask<IReadOnlyList<StoredRow>> AggregateAsync(Query.Aggregates.AggregateQuery query, QueryContext context,
        CancellationToken cancellationToken = default) =>
        RefusingTooComplexAsync(Query.Aggregates.AggregateRunner.RunAsync(store.AggregateCompiler.Compile(query, context), Command, _dialect, cancellationToken,
            ExecuteReaderAsync));

    /// <summary>A statement the database refuses as too large or too deep is the request's fault (400), not a 500.</summary>
    private async ValueTask<T> RefusingTooComplexAsync<T>(ValueTask<T> run)
    {
        try
        {
            return await run;
        }
        catch (DbException e) when (_dialect.IsTooComplex(e))
        {
            throw DataverseFault.QueryTooComplex(e.Message);
        }
    }

    public async ValueTask<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var command = Command(store.Statements.GetSetting);
        _dialect.AddParameter(command, key, AttributeTypeCode.String);
        return await ExecuteScalarAsync(command, cancellationToken) as string;
    }

    public async ValueTask<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        // Insert-if-absent then read: whichever concurrent caller inserted first, every caller sees its value.
        await using (var add = Command(store.Statements.AddSetting))
        {
            _dialect.AddParameter(add, key, AttributeTypeCode.String);
            _dialect.AddParameter(add, value, AttributeTypeCode.String);
            await ExecuteNonQueryAsync(add, cancellationToken);
        }
        return await GetSettingAsync(key, cancellationToken)
               ?? throw new InvalidOperationException($"The setting '{key}' vanished right after it was stored.");
    }

    public async ValueTask<IReadOnlyList<KeyRingElement>> GetKeyRingAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command(store.Statements.GetKeyRing);
        await using var reader = await ExecuteReaderAsync(command, cancellationToken);
        var elements = new List<KeyRingElement>();
        while (await reader.ReadAsync(cancellationToken))
        {
            elements.Add(new KeyRingElement(reader.GetString(0), reader.GetString(1)));
        }

        return elements;
    }

    public async ValueTask AddKeyRingElementAsync(KeyRingElement element, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(element);
        await using var add = Command(store.Statements.AddKeyRingElement);
        _dialect.AddParameter(add, element.FriendlyName, AttributeTypeCode.String);
        _dialect.AddParameter(add, element.Xml, AttributeTypeCode.String);
        await ExecuteNonQueryAsync(add, cancellationToken);
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        if (HasAssumptions)
        {
            await ConfirmAssumptionsAsync(cancellationToken); // no statement carried the checks yet
        }

        if (shared is not null)
        {
            await shared.CommitAsync(cancellationToken);
        }
        else if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _checkBatch?.Dispose();
        if (shared is not null)
        {
            await shared.DisposeAsync();
            return;
        }

        try
        {
            if (transaction is not null)
            {
                try
                {
                    await transaction.DisposeAsync();
                }
                catch
                {
                    // The rollback failed: the connection's state is unknown, so it is not reused.
                    connection.Broken = true;
                    throw;
                }
            }
        }
        finally
        {
            try
            {
                await connection.DisposeAsync();
            }
            finally
            {
                writerLock?.Dispose();
            }
        }
    }

    /// <summary>
    /// A command kept with the connection (at least for the rest of the transaction), so a message writing many
    /// records prepares each statement once; SQLite would otherwise parse the SQL on every execution.
    /// </summary>
    private DbCommand Reusable(string sql) => connection.Reusable(sql, transaction);

    private DbCommand Command(string sql)
    {
        var command = connection.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private void AddValues(DbCommand command, AttributeDefinition[] columns, StoredRow row)
    {
        foreach (var column in columns)
        {
            var value = row[column.LogicalName];
            _dialect.AddParameter(command, value is null ? null : StorageValues.Require(value, column.AttributeType, column.LogicalName),
                column.AttributeType);
        }
    }
}
