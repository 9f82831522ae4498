using System.Text;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// "Strictly after the cursor row" in the query's ordering, where NULL sorts first ascending and last descending.
/// Which branch a key takes depends on whether its cursor value is NULL, known when compiling, so the SQL has
/// no NULL parameters. The common shape (one order column and the id, non-null cursor) becomes a row-value
/// comparison that both databases answer with an index seek.
/// </summary>
internal static class KeysetPredicate
{
    public static string After(SqlBuilder sql, IReadOnlyList<KeyColumn> keys, object?[] values)
    {
        if (keys.Count == 2 && values[0] is not null && keys[0].Descending == keys[1].Descending)
        {
            return RowValue(sql, keys, values);
        }
        return After(sql, keys, values, 0);
    }

    private static string RowValue(SqlBuilder sql, IReadOnlyList<KeyColumn> keys, object?[] values)
    {
        var (first, id) = (keys[0].Column, keys[1].Column);
        var comparison = "(" + Comparable(sql, first) + ", " + id.Sql + ")" + (keys[0].Descending ? " < " : " > ") +
                         "(" + sql.ComparableParameter(values[0], first.Type) + ", " + sql.Parameter(values[1], id.Type) + ")";
        // Descending puts NULLs last, so every NULL row still follows a non-null cursor.
        return keys[0].Descending ? "(" + comparison + " OR " + first.Sql + " IS NULL)" : comparison;
    }

    private static string After(SqlBuilder sql, IReadOnlyList<KeyColumn> keys, object?[] values, int index)
    {
        var strictly = StrictlyAfter(sql, keys[index], values[index]);
        if (index == keys.Count - 1)
        {
            return strictly ?? "1 = 0";
        }
        var tie = new StringBuilder("(").Append(EqualTo(sql, keys[index], values[index])).Append(" AND ")
            .Append(After(sql, keys, values, index + 1)).Append(')').ToString();
        return strictly is null ? tie : "(" + strictly + " OR " + tie + ")";
    }

    /// <summary>Rows whose key sorts strictly after the value; null when none can.</summary>
    private static string? StrictlyAfter(SqlBuilder sql, KeyColumn key, object? value) => (key.Descending, value) switch
    {
        (false, null) => key.Column.Sql + " IS NOT NULL",
        (false, _) => Comparable(sql, key.Column) + " > " + sql.ComparableParameter(value, key.Column.Type),
        (true, null) => null,
        (true, _) => "(" + Comparable(sql, key.Column) + " < " + sql.ComparableParameter(value, key.Column.Type) +
                     " OR " + key.Column.Sql + " IS NULL)",
    };

    private static string EqualTo(SqlBuilder sql, KeyColumn key, object? value) => value is null
        ? key.Column.Sql + " IS NULL"
        : Comparable(sql, key.Column) + " = " + sql.ComparableParameter(value, key.Column.Type);

    private static string Comparable(SqlBuilder sql, ColumnExpression column) => sql.Dialect.Comparable(column.Sql, column.Type);
}
