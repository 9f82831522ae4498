using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;

namespace ChannelAccounts.Engine.Storage;

/// <summary>The set-based half of a store transaction: many rows read, inserted or updated per statement, rows changed by a column's value.</summary>
internal sealed partial class SqlStoreTransaction
{
    /// <summary>Multi-row INSERT statements this transaction has run (tests check a bulk insert's round trips).</summary>
    internal int InsertManyStatements { get; private set; }

    /// <summary>Ids per statement of RetrieveManyForUpdateAsync.</summary>
    private const int IdsPerRead = 1000;

    public async ValueTask<IReadOnlyDictionary<Guid, StoredRow>> RetrieveManyForUpdateAsync(EntityDefinition entity, IReadOnlyList<Guid> ids,
        IReadOnlyCollection<string> columns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var rows = new Dictionary<Guid, StoredRow>(ids.Count);
        for (var start = 0; start < ids.Count; start += IdsPerRead)
        {
            var count = Math.Min(IdsPerRead, ids.Count - start);
            var (sql, outputs) = store.Compiler.CompileRetrieveMany(entity, columns, count, forUpdate: true);
            var command = Reusable(sql);
            for (var i = 0; i < count; i++)
            {
                _dialect.AddParameter(command, ids[start + i], AttributeTypeCode.Uniqueidentifier);
            }

            await using var reader = await ExecuteReaderAsync(command, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = QueryRunner.ReadRow(reader, outputs, _dialect);
                rows[(Guid)row[entity.PrimaryIdAttribute]!] = row;
            }
        }

        return rows;
    }

    public async ValueTask InsertManyAsync(EntityDefinition entity, IReadOnlyList<StoredRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        // In id order: two bulk creates of overlapping ids then wait on the first shared key instead of deadlocking.
        foreach (var group in InIdOrder(entity, rows).GroupBy(r => string.Join('|', r.Keys), StringComparer.Ordinal))
        {
            var sameColumns = group.ToList();
            var columns = RecordStatements.Columns(entity, sameColumns[0]);
            var perStatement = _dialect.RowsPerInsert(columns.Length);
            for (var start = 0; start < sameColumns.Count; start += perStatement)
            {
                var chunk = sameColumns.GetRange(start, Math.Min(perStatement, sameColumns.Count - start));
                var command = RowsCommand(columns, chunk,
                    () => store.Statements.InsertColumns(entity, columns), () => store.Statements.InsertMany(entity, columns, chunk.Count));
                InsertManyStatements++;
                int inserted;
                try
                {
                    inserted = await ExecuteNonQueryAsync(command, cancellationToken);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    throw DataverseFault.DuplicateRecord();
                }

                if (inserted != chunk.Count)
                {
                    throw DataverseFault.DuplicateRecord();
                }
            }
        }
    }

    private static IEnumerable<StoredRow> InIdOrder(EntityDefinition entity, IReadOnlyList<StoredRow> rows) =>
        rows.OrderBy(r => r.TryGetValue(entity.PrimaryIdAttribute, out var id) && id is Guid guid ? guid : Guid.Empty);

    /// <summary>Multi-row UPDATE statements this transaction has run (tests check a bulk update's round trips).</summary>
    internal int UpdateManyStatements { get; private set; }

    public async ValueTask<int> UpdateManyAsync(EntityDefinition entity, IReadOnlyList<StoredRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        var id = entity.Attribute(entity.PrimaryIdAttribute);
        var updated = 0;
        foreach (var group in InIdOrder(entity, rows).GroupBy(r => string.Join('|', r.Keys.Where(k => k != id.LogicalName)), StringComparer.Ordinal))
        {
            var sameColumns = group.ToList();
            var columns = RecordStatements.Columns(entity, sameColumns[0]).Where(c => c.LogicalName != id.LogicalName).ToArray();
            AttributeDefinition[] bound = [.. columns, id];
            var perStatement = _dialect.RowsPerInsert(bound.Length);
            for (var start = 0; start < sameColumns.Count; start += perStatement)
            {
                var chunk = sameColumns.GetRange(start, Math.Min(perStatement, sameColumns.Count - start));
                var command = RowsCommand(bound, chunk,
                    () => store.Statements.UpdateColumns(entity, columns, id), () => store.Statements.UpdateMany(entity, columns, chunk.Count));
                UpdateManyStatements++;
                try
                {
                    updated += await ExecuteNonQueryAsync(command, cancellationToken);
                }
                catch (DbException e) when (_dialect.IsUniqueViolation(e))
                {
                    throw DataverseFault.DuplicateRecord();
                }
            }
        }

        return updated;
    }

    public async ValueTask<int> UpdateWhereAsync(EntityDefinition entity, string column, object value, StoredRow changes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        var where = entity.Attribute(column);
        var columns = RecordStatements.Columns(entity, changes);
        long? below = null;
        if (_dialect.NextVersionPerRowSql is null)
        {
            // Writers are serialised: count the rows, reserve their numbers, and the statement numbers them in id order.
            var count = Reusable(store.Statements.CountWhere(entity, where));
            _dialect.AddParameter(count, value, where.AttributeType);
            var rows = Convert.ToInt32(await ExecuteScalarAsync(count, cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            if (rows == 0)
            {
                return 0;
            }

            below = (await NextVersionsAsync(rows, cancellationToken))[0] - 1;
        }

        // Taken after the statements above: a reusable command is only safe until the next one is made.
        var command = Reusable(store.Statements.UpdateWhere(entity, columns, where));
        AddValues(command, columns, changes);
        if (below is { } block)
        {
            _dialect.AddParameter(command, block, AttributeTypeCode.BigInt);
        }

        _dialect.AddParameter(command, value, where.AttributeType);
        return await ExecuteNonQueryAsync(command, cancellationToken);
    }

    public async ValueTask<int> DeleteWhereAsync(EntityDefinition entity, string column, object value, CancellationToken cancellationToken = default)
    {
        await ChangeSecurityStampIfNeededAsync(entity, cancellationToken);
        var attribute = entity.Attribute(column);
        var command = Reusable(store.Statements.DeleteWhere(entity, attribute));
        _dialect.AddParameter(command, value, attribute.AttributeType);
        return await ExecuteNonQueryAsync(command, cancellationToken);
    }

    /// <summary>
    /// A multi-row statement with the rows bound: one array per column where the dialect takes arrays (PostgreSQL's
    /// unnest: one short statement whatever the row count), else a VALUES list binding each row's values in turn.
    /// </summary>
    private DbCommand RowsCommand(AttributeDefinition[] columns, List<StoredRow> rows, Func<string> arraysSql, Func<string> valuesSql)
    {
        if (_dialect.InsertsColumnArrays)
        {
            var arrays = Reusable(arraysSql());
            foreach (var column in columns)
            {
                _dialect.AddColumnArray(arrays, rows, column);
            }
            return arrays;
        }

        var values = Reusable(valuesSql());
        foreach (var row in rows)
        {
            AddValues(values, columns, row);
        }
        return values;
    }
}
