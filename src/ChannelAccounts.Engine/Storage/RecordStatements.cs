using System.Collections.Concurrent;
using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage.Schema;

namespace ChannelAccounts.Engine.Storage;

/// <summary>INSERT, UPDATE and DELETE text per (table, column set), generated once per dialect and reused.</summary>
internal sealed class RecordStatements(SqlDialect dialect)
{
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    /// <summary>The columns of a row in the order the statement binds them, each checked to be stored.</summary>
    public static AttributeDefinition[] Columns(EntityDefinition entity, StoredRow row)
    {
        var columns = new AttributeDefinition[row.Count];
        var i = 0;
        foreach (var name in row.Keys)
        {
            if (!entity.TryGetAttribute(name, out var attribute) || !attribute.IsStored)
            {
                throw DataverseFault.AttributeNotFound(entity.LogicalName, name);
            }
            columns[i++] = attribute;
        }
        return columns;
    }

    /// <summary>
    /// INSERT that does nothing when the primary key exists, so the caller sees 0 rows instead of an error: a
    /// PostgreSQL transaction survives a duplicate (an error would abort it) and no exception is thrown.
    /// </summary>
    public string Insert(EntityDefinition entity, AttributeDefinition[] columns) =>
        _cache.GetOrAdd(Key("i", entity, columns), _ => InsertOne(entity, columns, null).ToString());

    /// <summary>
    /// Insert, with versionnumber drawn in the statement (NextVersionPerRowSql) and returned: one round trip instead of
    /// two. No row comes back when the primary key exists.
    /// </summary>
    public string InsertNumbered(EntityDefinition entity, AttributeDefinition[] columns) =>
        _cache.GetOrAdd(Key("in", entity, columns), _ => InsertOne(entity, columns, VersionInStatement).Append(" RETURNING versionnumber").ToString());

    private StringBuilder InsertOne(EntityDefinition entity, AttributeDefinition[] columns, string? version)
    {
        var sql = new StringBuilder("INSERT INTO ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(" (");
        sql.AppendJoin(", ", columns.Select(c => SchemaDefinition.Name(c.LogicalName))).Append(version is null ? "" : ", versionnumber").Append(") VALUES (");
        sql.AppendJoin(", ", columns.Select((_, i) => dialect.Parameter(i))).Append(version is null ? "" : ", " + version).Append(')');
        return sql.Append(" ON CONFLICT (").Append(SchemaDefinition.Name(entity.PrimaryIdAttribute)).Append(") DO NOTHING");
    }

    /// <summary>
    /// INSERT that does nothing when any unique index (primary or alternate key) already holds its values. No conflict
    /// target on purpose: with one, PostgreSQL would still raise a concurrent violation of the other unique index.
    /// </summary>
    public string InsertIfAbsent(EntityDefinition entity, AttributeDefinition[] columns) =>
        _cache.GetOrAdd(Key("ia", entity, columns), _ =>
        {
            var sql = new StringBuilder("INSERT INTO ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(" (");
            sql.AppendJoin(", ", columns.Select(c => SchemaDefinition.Name(c.LogicalName))).Append(") VALUES (");
            sql.AppendJoin(", ", columns.Select((_, i) => dialect.Parameter(i))).Append(')');
            return sql.Append(" ON CONFLICT DO NOTHING").ToString();
        });

    /// <summary>How many rows of that many columns one multi-row INSERT may carry under the parameter limit.</summary>
    public static int RowsPerInsert(int columnCount, int maxParameters) => Math.Max(1, maxParameters / Math.Max(1, columnCount));

    /// <summary>INSERT of rowCount rows (row r binds parameters r*n..r*n+n-1), doing nothing for a primary key that exists.</summary>
    public string InsertMany(EntityDefinition entity, AttributeDefinition[] columns, int rowCount) =>
        _cache.GetOrAdd(Key("im" + rowCount.ToString(System.Globalization.CultureInfo.InvariantCulture), entity, columns), _ =>
        {
            var sql = new StringBuilder("INSERT INTO ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(" (");
            sql.AppendJoin(", ", columns.Select(c => SchemaDefinition.Name(c.LogicalName))).Append(") VALUES ");
            return AppendRows(sql, rowCount, columns.Length).Append(" ON CONFLICT (").Append(SchemaDefinition.Name(entity.PrimaryIdAttribute)).Append(") DO NOTHING").ToString();
        });

    /// <summary>
    /// INSERT of any number of rows bound as one array per column (parameter i is column i's values), unnested
    /// into rows: one short statement, prepared once, and one parameter per column however many rows it carries.
    /// </summary>
    public string InsertColumns(EntityDefinition entity, AttributeDefinition[] columns) =>
        _cache.GetOrAdd(Key("ic", entity, columns), _ =>
        {
            var sql = new StringBuilder("INSERT INTO ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(" (");
            sql.AppendJoin(", ", columns.Select(c => SchemaDefinition.Name(c.LogicalName))).Append(") SELECT * FROM unnest(");
            sql.Append(UnnestArguments(columns)).Append(')');
            return sql.Append(" ON CONFLICT (").Append(SchemaDefinition.Name(entity.PrimaryIdAttribute)).Append(") DO NOTHING").ToString();
        });

    /// <summary>UPDATE .. SET the columns (parameters 0..n-1) WHERE id = parameter n.</summary>
    public string Update(EntityDefinition entity, AttributeDefinition[] columns) =>
        _cache.GetOrAdd(Key("u", entity, columns), _ => UpdateOne(entity, columns, null).ToString());

    /// <summary>
    /// Update, with versionnumber drawn in the statement (NextVersionPerRowSql) and returned: one round trip instead of
    /// two. No row comes back when the record does not exist.
    /// </summary>
    public string UpdateNumbered(EntityDefinition entity, AttributeDefinition[] columns) =>
        _cache.GetOrAdd(Key("un", entity, columns), _ => UpdateOne(entity, columns, VersionInStatement).Append(" RETURNING versionnumber").ToString());

    private StringBuilder UpdateOne(EntityDefinition entity, AttributeDefinition[] columns, string? version)
    {
        var sql = new StringBuilder("UPDATE ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(" SET ");
        sql.AppendJoin(", ", columns.Select((c, i) => SchemaDefinition.Name(c.LogicalName) + " = " + dialect.Parameter(i)));
        return sql.Append(version is null ? "" : ", versionnumber = " + version).Append(" WHERE ")
            .Append(SchemaDefinition.Name(entity.PrimaryIdAttribute)).Append(" = ").Append(dialect.Parameter(columns.Length));
    }

    private string VersionInStatement =>
        dialect.NextVersionPerRowSql ?? throw new NotSupportedException($"{dialect.Provider} draws no version number in a statement.");

    /// <summary>
    /// UPDATE of rowCount records, each setting the same columns to values of its own: the rows come as a VALUES
    /// list (row r binds parameters r*(n+1)..r*(n+1)+n, the record's id last) joined to the table by id.
    /// </summary>
    public string UpdateMany(EntityDefinition entity, AttributeDefinition[] columns, int rowCount) =>
        _cache.GetOrAdd(Key("um" + rowCount.ToString(System.Globalization.CultureInfo.InvariantCulture), entity, columns), _ =>
        {
            var sql = new StringBuilder("WITH ca_values (");
            sql.AppendJoin(", ", columns.Select(c => SchemaDefinition.Name(c.LogicalName))).Append(", ca_id) AS (VALUES ");
            return UpdateFrom(AppendRows(sql, rowCount, columns.Length + 1).Append(") "), entity, columns).Append("ca_values").Append(IdMatch(entity)).ToString();
        });

    /// <summary>
    /// UPDATE of any number of records bound as one array per column (parameter i is column i's values, the ids
    /// last), unnested into rows and joined to the table by id.
    /// </summary>
    public string UpdateColumns(EntityDefinition entity, AttributeDefinition[] columns, AttributeDefinition id) =>
        _cache.GetOrAdd(Key("uc", entity, columns), _ =>
        {
            var sql = UpdateFrom(new StringBuilder(), entity, columns).Append("unnest(").Append(UnnestArguments([.. columns, id]));
            sql.Append(") AS ca_values (").AppendJoin(", ", columns.Select(c => SchemaDefinition.Name(c.LogicalName))).Append(", ca_id)");
            return sql.Append(IdMatch(entity)).ToString();
        });

    /// <summary>rowCount parenthesised rows of width parameters each, numbered row by row from 0.</summary>
    private StringBuilder AppendRows(StringBuilder sql, int rowCount, int width)
    {
        for (var row = 0; row < rowCount; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < width; column++)
            {
                sql.Append(column == 0 ? "" : ", ").Append(dialect.Parameter(row * width + column));
            }

            sql.Append(')');
        }

        return sql;
    }

    /// <summary>unnest's arguments: parameter i is column i's values as an array of its type.</summary>
    private string UnnestArguments(IEnumerable<AttributeDefinition> columns) =>
        string.Join(", ", columns.Select((c, i) => dialect.Parameter(i) + "::" + dialect.ArrayType(c)));

    private static StringBuilder UpdateFrom(StringBuilder sql, EntityDefinition entity, AttributeDefinition[] columns) =>
        sql.Append("UPDATE ").Append(SchemaDefinition.Name(entity.LogicalName)).Append(" SET ")
            .AppendJoin(", ", columns.Select(c => SchemaDefinition.Name(c.LogicalName) + " = ca_values." + SchemaDefinition.Name(c.LogicalName)))
            .Append(" FROM ");

    private static string IdMatch(EntityDefinition entity) =>
        $" WHERE {SchemaDefinition.Name(entity.LogicalName)}.{SchemaDefinition.Name(entity.PrimaryIdAttribute)} = ca_values.ca_id";

    /// <summary>
    /// UPDATE of every row whose where column equals the last parameter: the columns set to parameters 0..n-1 and
    /// versionnumber to a new number per row. Where the dialect draws a number per row in the statement
    /// (NextVersionPerRowSql) the value is parameter n; else parameter n is the number below a block reserved for the
    /// rows (writers are serialised), numbered in id order, and the value is parameter n+1.
    /// </summary>
    public string UpdateWhere(EntityDefinition entity, AttributeDefinition[] columns, AttributeDefinition where) =>
        _cache.GetOrAdd(Key("uw|" + where.LogicalName, entity, columns), _ =>
        {
            var table = SchemaDefinition.Name(entity.LogicalName);
            var id = SchemaDefinition.Name(entity.PrimaryIdAttribute);
            var whereColumn = SchemaDefinition.Name(where.LogicalName);
            var sql = new StringBuilder("UPDATE ").Append(table).Append(" SET ");
            sql.AppendJoin(", ", columns.Select((c, i) => SchemaDefinition.Name(c.LogicalName) + " = " + dialect.Parameter(i))).Append(", versionnumber = ");
            if (dialect.NextVersionPerRowSql is { } perRow)
            {
                return sql.Append(perRow).Append(" WHERE ").Append(whereColumn).Append(" = ").Append(dialect.Parameter(columns.Length)).ToString();
            }

            return sql.Append(dialect.Parameter(columns.Length)).Append(" + ca_moved.ca_n FROM (SELECT ").Append(id)
                .Append(" AS ca_id, row_number() OVER (ORDER BY ").Append(id).Append(") AS ca_n FROM ").Append(table)
                .Append(" WHERE ").Append(whereColumn).Append(" = ").Append(dialect.Parameter(columns.Length + 1))
                .Append(") AS ca_moved WHERE ").Append(table).Append('.').Append(id).Append(" = ca_moved.ca_id").ToString();
        });

    /// <summary>SELECT count(*) of the rows whose column equals parameter 0.</summary>
    public string CountWhere(EntityDefinition entity, AttributeDefinition column) =>
        _cache.GetOrAdd("cw|" + entity.LogicalName + "|" + column.LogicalName, _ =>
            $"SELECT count(*) FROM {SchemaDefinition.Name(entity.LogicalName)} WHERE {SchemaDefinition.Name(column.LogicalName)} = {dialect.Parameter(0)}");

    public string Delete(EntityDefinition entity) =>
        _cache.GetOrAdd("d|" + entity.LogicalName, _ =>
            $"DELETE FROM {SchemaDefinition.Name(entity.LogicalName)} WHERE {SchemaDefinition.Name(entity.PrimaryIdAttribute)} = {dialect.Parameter(0)}");

    public string DeleteWhere(EntityDefinition entity, AttributeDefinition column) =>
        _cache.GetOrAdd("dw|" + entity.LogicalName + "|" + column.LogicalName, _ =>
            $"DELETE FROM {SchemaDefinition.Name(entity.LogicalName)} WHERE {SchemaDefinition.Name(column.LogicalName)} = {dialect.Parameter(0)}");

    public string Exists(EntityDefinition entity) =>
        _cache.GetOrAdd("e|" + entity.LogicalName, _ =>
            $"SELECT 1 FROM {SchemaDefinition.Name(entity.LogicalName)} WHERE {SchemaDefinition.Name(entity.PrimaryIdAttribute)} = {dialect.Parameter(0)}");

    public string GetSetting => _cache.GetOrAdd("s|get", _ => $"SELECT value FROM ca_settings WHERE key = {dialect.Parameter(0)}");

    public string AddSetting => _cache.GetOrAdd("s|add", _ =>
        $"INSERT INTO ca_settings (key, value) VALUES ({dialect.Parameter(0)}, {dialect.Parameter(1)}) ON CONFLICT (key) DO NOTHING");

    public string GetKeyRing => _cache.GetOrAdd("k|get", _ => "SELECT friendlyname, xml FROM ca_dataprotectionkeys ORDER BY friendlyname");

    public string AddKeyRingElement => _cache.GetOrAdd("k|add", _ =>
        $"INSERT INTO ca_dataprotectionkeys (friendlyname, xml) VALUES ({dialect.Parameter(0)}, {dialect.Parameter(1)}) ON CONFLICT (friendlyname) DO NOTHING");

    private static string Key(string kind, EntityDefinition entity, AttributeDefinition[] columns)
    {
        var key = new StringBuilder(kind).Append('|').Append(entity.LogicalName);
        foreach (var column in columns)
        {
            key.Append('|').Append(column.LogicalName);
        }
        return key.ToString();
    }
}
