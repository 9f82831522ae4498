using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using Microsoft.Data.Sqlite;

namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// SQLite: ids as lowercase 'D' text, dates as fixed-width ISO text (so text order is time order), booleans as
/// 0/1, text columns COLLATE NOCASE (so =, LIKE, ORDER BY and indexes all ignore case).
/// </summary>
public sealed class SqliteDialect : SqlDialect
{
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private static readonly string[] Names = Enumerable.Range(0, 64).Select(i => "@p" + i).ToArray();

    public static SqliteDialect Instance { get; } = new();

    public override string Provider => "sqlite";

    public override string TextColumnSuffix => " COLLATE NOCASE";

    public override string NextVersionSql => "UPDATE ca_versionnumber SET value = value + 1 WHERE id = 1 RETURNING value";

    /// <summary>Writers are serialised, so the block below the returned value is this transaction's alone.</summary>
    public override string NextVersionsSql => "UPDATE ca_versionnumber SET value = value + @p0 WHERE id = 1 RETURNING value";

    /// <summary>
    /// SQLite plans with the value bound to a bare `LIMIT ?`, so every new binding (each execution) expires the
    /// prepared statement and it is parsed and planned again; `LIMIT +?` is the same number without that.
    /// </summary>
    public override string LimitValue(string parameter) => "+" + parameter;

    /// <summary>SQLITE_MAX_VARIABLE_NUMBER of SQLite 3.32 and later.</summary>
    public override int MaxParameters => 32766;

    /// <summary>
    /// Microsoft.Data.Sqlite binds each named parameter by looking its name up in the statement's list, so binding
    /// costs grow with the square of the count; the bench's raw 1,000-row statements (18,000 parameters) ran at
    /// about 700 rows/s. Chunks of about 100 rows keep binding cheap.
    /// </summary>
    public override int InsertParameters => 2000;

    public override string ColumnType(AttributeDefinition attribute) => attribute.AttributeType switch
    {
        AttributeTypeCode.Uniqueidentifier or AttributeTypeCode.Lookup or AttributeTypeCode.Owner => "TEXT",
        AttributeTypeCode.String or AttributeTypeCode.Memo => "TEXT",
        AttributeTypeCode.DateTime => "TEXT",
        AttributeTypeCode.Boolean => "INTEGER",
        AttributeTypeCode.BigInt => "INTEGER",
        _ => "INTEGER",
    };

    public override string Parameter(int index) => index < Names.Length ? Names[index] : "@p" + index;

    public override void AddParameter(DbCommand command, object? value, AttributeTypeCode type)
    {
        var parameter = new SqliteParameter { ParameterName = Parameter(command.Parameters.Count) };
        (parameter.SqliteType, parameter.Value) = value switch
        {
            null => (SqliteType.Text, DBNull.Value),
            Guid g => (SqliteType.Text, g.ToString("D")),
            DateTime d => (SqliteType.Text, StorageValues.FormatDate(d)),
            bool b => (SqliteType.Integer, b ? 1L : 0L),
            int i => (SqliteType.Integer, (long)i),
            long l => (SqliteType.Integer, l),
            string s => (SqliteType.Text, (object)s),
            _ => throw new ArgumentException($"Unsupported storage value type {value.GetType().Name}.", nameof(value)),
        };
        command.Parameters.Add(parameter);
    }

    public override object ReadValue(DbDataReader reader, int ordinal, AttributeTypeCode type) => type switch
    {
        _ when StorageValues.IsGuid(type) => Guid.Parse(reader.GetString(ordinal)),
        _ when StorageValues.IsInt32(type) => reader.GetInt32(ordinal),
        AttributeTypeCode.BigInt => reader.GetInt64(ordinal),
        AttributeTypeCode.Boolean => reader.GetInt64(ordinal) != 0,
        AttributeTypeCode.DateTime => StorageValues.ParseDate(reader.GetString(ordinal)),
        _ => reader.GetString(ordinal),
    };

    public override string FoldCase(string sqlExpression) => sqlExpression;

    public override string ComputedText(string expression) => expression + " COLLATE NOCASE";

    /// <summary>NOCASE and LIKE fold ASCII letters only (SQLite without ICU).</summary>
    public override bool FoldsAsciiOnly => true;

    public override string FullyFolded(string sqlExpression) => SqliteFunctions.FoldName + "(" + sqlExpression + ")";

    public override string FullyFoldedValue(string value) => SqliteFunctions.Fold(value)!;

    /// <summary>SQLite has no regular expressions of its own: the store registers <see cref="SqliteFunctions.MatchesIgnoringCase"/>.</summary>
    public override string MatchesIgnoringCase(string sqlExpression, string regexParameter) =>
        SqliteFunctions.MatchesIgnoringCaseName + "(" + sqlExpression + ", " + regexParameter + ")";

    /// <summary>
    /// `LIKE +?`: with a bare parameter, SQLite plans with the value bound at the time (for its LIKE optimisation), so
    /// every new binding expires the prepared statement and it is parsed and planned again at each execution, as with
    /// a bare `LIMIT ?`. The unary plus keeps the value and hides the parameter from that optimisation; the index seek
    /// comes from the explicit prefix range the filter compiler writes instead.
    /// </summary>
    public override string LikePattern(string parameter) => "+" + parameter;

    // SQLite's compile-time limits: expression depth, joined tables, FROM terms, bound variables, compound SELECTs.
    private static readonly string[] TooComplexMessages =
        ["Expression tree is too large", "tables in a join", "too many FROM clause terms", "too many SQL variables", "too many terms in compound SELECT", "parser stack overflow"];

    public override bool IsTooComplex(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 1 } sqlite && TooComplexMessages.Any(m => sqlite.Message.Contains(m, StringComparison.Ordinal));

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintPrimaryKey or SqliteConstraintUnique };

    // SQLITE_BUSY after the busy timeout: another connection held the lock all that time.
    public override bool IsTransientConflict(DbException exception) => exception is SqliteException { SqliteErrorCode: 5 };

    // SQLite writers hold the database lock for the whole transaction (BEGIN IMMEDIATE), so rows need no lock of their own.
    public override string RowLockClause(string mainAlias) => "";

    public override string SharedRowLockClause(string mainAlias) => "";

    public override bool SerializesWriters => true;
}
