using System.Data.Common;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// What differs between the databases: column types, parameter syntax, value conversion and case-insensitive
/// text. Everything else (schema, record statements, the query compiler) generates SQL once through this.
/// </summary>
public abstract class SqlDialect
{
    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Provider { get; }

    /// <summary>The column type of a stored attribute.</summary>
    public abstract string ColumnType(AttributeDefinition attribute);

    /// <summary>The placeholder of the parameter at the given zero-based position in the command.</summary>
    public abstract string Parameter(int index);

    /// <summary>Adds a parameter holding a normalised storage value, converted to what the database stores.</summary>
    public abstract void AddParameter(DbCommand command, object? value, AttributeTypeCode type);

    /// <summary>Reads a non-null column as the normalised CLR type of the attribute type.</summary>
    public abstract object ReadValue(DbDataReader reader, int ordinal, AttributeTypeCode type);

    /// <summary>
    /// The expression that compares, sorts and indexes text case-insensitively, as Dataverse does. SQLite declares
    /// text columns COLLATE NOCASE so the column itself is enough; PostgreSQL folds with lower().
    /// </summary>
    public abstract string FoldCase(string sqlExpression);

    /// <summary>
    /// Text computed from text columns (the coalesce of a lookup's possible names), made to compare and sort as the
    /// columns do. SQLite gives a function's result no collation of its own, so without this a name like
    /// owneridname compared case-sensitively.
    /// </summary>
    public virtual string ComputedText(string expression) => expression;

    /// <summary>
    /// The least (or greatest) text of a group compared as <see cref="FoldCase"/> compares it, spelled as stored. SQLite's
    /// NOCASE columns make min() and max() do that themselves.
    /// </summary>
    public virtual string TextExtreme(string sqlExpression, bool greatest) => (greatest ? "max(" : "min(") + sqlExpression + ")";

    /// <summary>Case-insensitive comparison folds ASCII letters only, other characters compare by code point (SQLite).</summary>
    public virtual bool FoldsAsciiOnly => false;

    /// <summary>The right-hand side of LIKE for a bound pattern parameter: folded like the column.</summary>
    public virtual string LikePattern(string parameter) => FoldCase(parameter);

    /// <summary>
    /// Where <see cref="FoldsAsciiOnly"/>: the text folded for every letter, not only ASCII ones (é as É), and the
    /// same folding of a value in C#, to compare text holding other letters ignoring their case.
    /// </summary>
    public virtual string FullyFolded(string sqlExpression) => FoldCase(sqlExpression);

    /// <inheritdoc cref="FullyFolded(string)"/>
    public virtual string FullyFoldedValue(string value) => value;

    /// <summary>True when the text matches a regular expression (TransactSqlLike.ToRegex), ignoring case.</summary>
    public abstract string MatchesIgnoringCase(string sqlExpression, string regexParameter);

    /// <summary>The clause after a text column's type in CREATE TABLE (SQLite: COLLATE NOCASE).</summary>
    public abstract string TextColumnSuffix { get; }

    /// <summary>True when a provider exception is a unique or primary-key violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>
    /// The database ended the transaction to resolve a conflict with another one (a deadlock, a serialization failure,
    /// a lock it gave up waiting for): nothing of it was kept, and the same work run again is expected to succeed.
    /// </summary>
    public abstract bool IsTransientConflict(DbException exception);

    /// <summary>The database refused to compile a statement as too large or too deeply nested (a request's doing).</summary>
    public abstract bool IsTooComplex(DbException exception);

    /// <summary>What ends a SELECT that locks the main table's row for the rest of the transaction ("" where writers are serialised anyway).</summary>
    public abstract string RowLockClause(string mainAlias);

    /// <summary>
    /// What ends a SELECT that keeps the main table's row from being deleted, or locked for update, by another writer
    /// until the transaction ends, while other holders of the same lock go on ("" where writers are serialised anyway).
    /// </summary>
    public abstract string SharedRowLockClause(string mainAlias);

    /// <summary>True where writers run one at a time (SQLite), so the lock clauses are empty.</summary>
    public abstract bool SerializesWriters { get; }

    /// <summary>The SQL that returns the next value of the version sequence.</summary>
    public abstract string NextVersionSql { get; }

    /// <summary>
    /// The SQL that reserves parameter 0 version numbers: one row per number, or one row holding the last number of
    /// a contiguous block (where writers are serialised).
    /// </summary>
    public abstract string NextVersionsSql { get; }

    /// <summary>
    /// An expression drawing the next version number anew for each row an UPDATE sets, or null where writers are
    /// serialised and a statement numbers its rows from a block reserved before it (RecordStatements.UpdateWhere).
    /// </summary>
    public virtual string? NextVersionPerRowSql => null;

    /// <summary>The most parameters one statement may bind.</summary>
    public abstract int MaxParameters { get; }

    /// <summary>The parameters one multi-row INSERT binds at most (never more than MaxParameters).</summary>
    public virtual int InsertParameters => MaxParameters;

    /// <summary>
    /// True when a multi-row INSERT binds one array per column (RecordStatements.InsertColumns) instead of one
    /// parameter per value (RecordStatements.InsertMany).
    /// </summary>
    public virtual bool InsertsColumnArrays => false;

    /// <summary>The rows one multi-row INSERT of that many columns carries.</summary>
    public virtual int RowsPerInsert(int columnCount) =>
        RecordStatements.RowsPerInsert(columnCount, Math.Min(InsertParameters, MaxParameters));

    /// <summary>Binds one column of the rows as one array parameter (only where InsertsColumnArrays).</summary>
    public virtual void AddColumnArray(DbCommand command, IReadOnlyList<StoredRow> rows, AttributeDefinition column) =>
        throw new NotSupportedException($"{Provider} binds a multi-row INSERT value by value.");

    /// <summary>The type name of an array of the column's type in a cast (only where InsertsColumnArrays).</summary>
    public virtual string ArrayType(AttributeDefinition column) =>
        throw new NotSupportedException($"{Provider} binds a multi-row INSERT value by value.");

    /// <summary>The value of a LIMIT clause given as a parameter.</summary>
    public virtual string LimitValue(string parameter) => parameter;

    /// <summary>String and Memo: the columns compared, ordered and indexed case-insensitively.</summary>
    public static bool IsText(AttributeTypeCode type) => type is AttributeTypeCode.String or AttributeTypeCode.Memo;

    /// <summary>The ordering of NULLs Dataverse (SQL Server) uses: first ascending, last descending.</summary>
    public static string NullsOrder(bool descending) => descending ? " NULLS LAST" : " NULLS FIRST";

    /// <summary>An expression of a column for comparing and ordering: case-folded for text.</summary>
    public string Comparable(string sqlExpression, AttributeTypeCode type) =>
        IsText(type) ? FoldCase(sqlExpression) : sqlExpression;
}

/// <summary>How a SELECT of one record locks its row until the transaction ends.</summary>
internal enum RowLock
{
    None,

    /// <summary>Others may hold the same lock; deleting the row or reading it for update waits (SharedRowLockClause).</summary>
    Share,

    /// <summary>Held against every other writer (RowLockClause).</summary>
    Update,
}
