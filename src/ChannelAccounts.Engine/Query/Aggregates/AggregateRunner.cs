using System.Data.Common;
using System.Globalization;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Query.Aggregates;

/// <summary>Runs a compiled aggregate query: one row per group, keyed by the aliases.</summary>
internal static class AggregateRunner
{
    public static async ValueTask<IReadOnlyList<StoredRow>> RunAsync(CompiledAggregate query, Func<string, DbCommand> createCommand,
        SqlDialect dialect, CancellationToken cancellationToken, Func<DbCommand, CancellationToken, Task<DbDataReader>> executeReader)
    {
        await using var command = createCommand(query.Sql);
        foreach (var parameter in query.Parameters)
        {
            dialect.AddParameter(command, parameter.Value, parameter.Type);
        }
        var rows = new List<StoredRow>();
        await using var reader = await executeReader(command, cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new StoredRow(query.Outputs.Count);
            for (var i = 0; i < query.Outputs.Count; i++)
            {
                row[query.Outputs[i].Alias] = reader.IsDBNull(i) ? null : Read(reader, i, query.Outputs[i], dialect);
            }
            rows.Add(row);
        }
        return rows;
    }

    private static object Read(DbDataReader reader, int ordinal, AggregateOutput output, SqlDialect dialect) => output.Function switch
    {
        AggregateFunction.Count or AggregateFunction.CountColumn => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture),
        AggregateFunction.Sum => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture),
        AggregateFunction.Avg => Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture),
        _ when output.Grouping is not null => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture),
        _ => dialect.ReadValue(reader, ordinal, output.Type),
    };
}
