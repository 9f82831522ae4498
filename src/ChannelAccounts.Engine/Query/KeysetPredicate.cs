using System.Text;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// "Strictly after the cursor row" in the query's ordering, where NULL sorts first ascending and last descending.
/// Which branch a key takes depends on whether its cursor value is NULL, known when compiling, so the SQL has
/// no NULL parameters.
/// <para>
/// For the common ordering (one column, then the id) the rows after the cursor are returned as up to two
/// segments read one after the other, each an index range: e.g. descending from a non-null name, first
/// (name, id) &lt; (cursor) then the NULL names. An OR of the two would make the databases filter the whole
/// index instead of seeking, and a deep page would cost more than the first.
/// </para>
/// </summary>
internal static class KeysetPredicate
{
    /// <summary>
    /// The first page in the same segments (for one order column: the NULLs, and the rest). Each is an index
    /// range, where one ORDER BY over all rows may lead SQLite to read a filter's index and sort every match.
    /// When the criteria already exclude NULLs of the column, the NULL segment would read nothing and is left out.
    /// </summary>
    public static IReadOnlyList<string?> FromStart(SqlBuilder sql, IReadOnlyList<KeyColumn> keys, bool firstKeyNeverNull = false)
    {
        if (keys.Count != 2 || keys[0].Descending != keys[1].Descending || !keys[0].Column.IsStored)
        {
            return [null];
        }
        var column = Comparable(sql, keys[0].Column);
        if (firstKeyNeverNull)
        {
            return [column + " IS NOT NULL"];
        }
        return keys[0].Descending ? [column + " IS NOT NULL", column + " IS NULL"] : [column + " IS NULL", column + " IS NOT NULL"];
    }

    public static IReadOnlyList<string> Segments(SqlBuilder sql, IReadOnlyList<KeyColumn> keys, object?[] values)
    {
        if (keys.Count == 1)
        {
            return [Comparable(sql, keys[0].Column) + (keys[0].Descending ? " < " : " > ") + Parameter(sql, keys[0], values[0])];
        }
        if (keys.Count == 2 && keys[0].Descending == keys[1].Descending)
        {
            return TwoKeySegments(sql, keys[0], keys[1], values[0], values[1]);
        }
        return [After(sql, keys, values, 0)];
    }

    private static IReadOnlyList<string> TwoKeySegments(SqlBuilder sql, KeyColumn key, KeyColumn id, object? value, object? idValue)
    {
        var column = Comparable(sql, key.Column);
        var idColumn = Comparable(sql, id.Column);
        var less = key.Descending ? " < " : " > ";
        var restOfNulls = column + " IS NULL AND " + idColumn + less + Parameter(sql, id, idValue);
        if (value is null)
        {
            // Ascending: the remaining NULLs, then every non-null. Descending: NULLs are last, only they remain.
            return key.Descending ? [restOfNulls] : [restOfNulls, column + " IS NOT NULL"];
        }
        var range = "(" + column + ", " + idColumn + ")" + less + "(" + Parameter(sql, key, value) + ", " + Parameter(sql, id, idValue) + ")";
        return key.Descending ? [range, column + " IS NULL"] : [range];
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
        (false, null) => Comparable(sql, key.Column) + " IS NOT NULL",
        (false, _) => Comparable(sql, key.Column) + " > " + Parameter(sql, key, value),
        (true, null) => null,
        (true, _) => "(" + Comparable(sql, key.Column) + " < " + Parameter(sql, key, value) +
                     " OR " + Comparable(sql, key.Column) + " IS NULL)",
    };

    private static string EqualTo(SqlBuilder sql, KeyColumn key, object? value) => value is null
        ? Comparable(sql, key.Column) + " IS NULL"
        : Comparable(sql, key.Column) + " = " + Parameter(sql, key, value);

    /// <summary>The column as ordered and indexed (lower(col) for text on PostgreSQL), so conditions match the index.</summary>
    private static string Comparable(SqlBuilder sql, ColumnExpression column) => sql.Dialect.Comparable(column.Sql, column.Type);

    private static string Parameter(SqlBuilder sql, KeyColumn key, object? value) => sql.ComparableParameter(value, key.Column.Type);
}
