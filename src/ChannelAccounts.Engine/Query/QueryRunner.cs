using System.Data.Common;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// Executes a compiled query: streams its rows once, keeps the cursor of the last row, counts if asked. The commands
/// come from the transaction, which keeps them prepared for the next message (so they are not disposed here), and it
/// executes them too (executeReader), so it can add a statement of its own to the round trip.
/// </summary>
internal static class QueryRunner
{
    public static async ValueTask<QueryPage> RunAsync(CompiledQuery query, Func<string, DbCommand> createCommand, SqlDialect dialect,
        CancellationToken cancellationToken, Func<DbCommand, CancellationToken, Task<DbDataReader>> executeReader)
    {
        var rows = new List<StoredRow>(Math.Min(query.PageSize ?? query.TopCount ?? 0, 256));
        object?[]? cursor = null;
        var more = false;
        var wanted = query.PageSize + 1 ?? query.TopCount ?? 0;
        foreach (var segment in query.Segments)
        {
            var command = createCommand(segment);
            AddParameters(command, query.Parameters, query.Parameters.Count, dialect);
            // A later segment only needs the rows still missing.
            command.Parameters[query.LimitParameter].Value = (long)(wanted - rows.Count);
            await using var reader = await executeReader(command, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (query.PageSize is { } size && rows.Count == size)
                {
                    more = true;
                    break;
                }
                rows.Add(ReadRow(reader, query.Columns, dialect));
                if (query.PageSize is { } pageSize && rows.Count == pageSize)
                {
                    cursor = ReadKeys(reader, query, dialect);
                }
            }
            if (more || rows.Count >= wanted)
            {
                break;
            }
        }

        var (total, exceeded) = query.CountSql is null ? (-1, false) : await CountAsync(query, createCommand, dialect, cancellationToken);
        return new QueryPage
        {
            Rows = rows,
            MoreRecords = more,
            PagingCookie = more && cursor is not null && query.KeysetPaging
                ? PagingCookie.Encode(query.EntityName, query.Ordering, query.PageNumber, query.Keys, cursor)
                : null,
            TotalRecordCount = total,
            TotalRecordCountLimitExceeded = exceeded,
        };
    }

    public static StoredRow ReadRow(DbDataReader reader, OutputColumn[] columns, SqlDialect dialect)
    {
        var row = new StoredRow(columns.Length);
        for (var i = 0; i < columns.Length; i++)
        {
            row[columns[i].Key] = reader.IsDBNull(i) ? null : dialect.ReadValue(reader, i, columns[i].Type);
        }
        return row;
    }

    private static object?[] ReadKeys(DbDataReader reader, CompiledQuery query, SqlDialect dialect)
    {
        var values = new object?[query.Keys.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var key = query.Keys[i];
            values[i] = reader.IsDBNull(key.Ordinal) ? null : dialect.ReadValue(reader, key.Ordinal, key.Column.Type);
        }
        return values;
    }

    private static async ValueTask<(int Total, bool Exceeded)> CountAsync(CompiledQuery query, Func<string, DbCommand> createCommand,
        SqlDialect dialect, CancellationToken cancellationToken)
    {
        var command = createCommand(query.CountSql!);
        AddParameters(command, query.Parameters, query.CountParameterCount, dialect);
        var count = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return count > QueryContext.TotalRecordCountLimit ? (QueryContext.TotalRecordCountLimit, true) : (count, false);
    }

    private static void AddParameters(DbCommand command, IReadOnlyList<QueryParameter> parameters, int count, SqlDialect dialect)
    {
        for (var i = 0; i < count; i++)
        {
            dialect.AddParameter(command, parameters[i].Value, parameters[i].Type);
        }
    }
}
