using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using Npgsql;
using NpgsqlTypes;

namespace ChannelAccounts.Engine.Storage.Postgres;

/// <summary>
/// PostgreSQL: native uuid, timestamptz and boolean; positional parameters ($1) so Npgsql sends the text as is
/// and auto-prepares it; text compared, ordered and indexed as lower(col) COLLATE "C".
/// </summary>
public sealed class PostgresDialect : SqlDialect
{
    private static readonly string[] Names = Enumerable.Range(1, 64).Select(i => "$" + i).ToArray();

    public static PostgresDialect Instance { get; } = new();

    public override string Provider => "postgres";

    public override string TextColumnSuffix => "";

    public override string NextVersionSql => "SELECT nextval('ca_versionnumber')";

    public override string NextVersionPerRowSql => "nextval('ca_versionnumber')";

    public override string NextVersionsSql => "SELECT nextval('ca_versionnumber') FROM generate_series(1, $1::integer)";

    /// <summary>The wire protocol counts parameters in an unsigned 16-bit integer.</summary>
    public override int MaxParameters => 65535;

    /// <summary>
    /// A multi-row INSERT binds one array per column and unnests them: 1,000 rows of 18 columns are 18 parameters,
    /// not 18,000 NpgsqlParameter objects and boxed values, and the statement text stays short and prepared.
    /// </summary>
    public override bool InsertsColumnArrays => true;

    /// <summary>Bounds one statement's arrays; a CreateMultiple (at most 1,000 targets by default) is one statement.</summary>
    public override int RowsPerInsert(int columnCount) => 5_000;

    public override string ArrayType(AttributeDefinition column) => ColumnType(column) + "[]";

    public override void AddColumnArray(DbCommand command, IReadOnlyList<StoredRow> rows, AttributeDefinition column)
    {
        var type = column.AttributeType;
        var (values, element) = type switch
        {
            _ when StorageValues.IsGuid(type) => (Values<Guid>(rows, column), NpgsqlDbType.Uuid),
            _ when StorageValues.IsInt32(type) => (Values<int>(rows, column), NpgsqlDbType.Integer),
            AttributeTypeCode.BigInt => (Values<long>(rows, column), NpgsqlDbType.Bigint),
            AttributeTypeCode.Boolean => (Values<bool>(rows, column), NpgsqlDbType.Boolean),
            AttributeTypeCode.DateTime => (Values<DateTime>(rows, column), NpgsqlDbType.TimestampTz),
            _ => ((Array)Texts(rows, column), NpgsqlDbType.Text),
        };
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | element, Value = values });
    }

    private static T?[] Values<T>(IReadOnlyList<StoredRow> rows, AttributeDefinition column) where T : struct
    {
        var values = new T?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            // Require also brings dates to UTC whole seconds and an int to a bigint column's long.
            values[i] = rows[i][column.LogicalName] is { } value
                ? (T)StorageValues.Require(value, column.AttributeType, column.LogicalName)
                : null;
        }
        return values;
    }

    private static string?[] Texts(IReadOnlyList<StoredRow> rows, AttributeDefinition column)
    {
        var values = new string?[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = rows[i][column.LogicalName] is { } value
                ? (string)StorageValues.Require(value, column.AttributeType, column.LogicalName)
                : null;
        }
        return values;
    }

    public override string ColumnType(AttributeDefinition attribute) => attribute.AttributeType switch
    {
        AttributeTypeCode.Uniqueidentifier or AttributeTypeCode.Lookup or AttributeTypeCode.Owner => "uuid",
        AttributeTypeCode.String or AttributeTypeCode.Memo => "text",
        AttributeTypeCode.DateTime => "timestamptz",
        AttributeTypeCode.Boolean => "boolean",
        AttributeTypeCode.BigInt => "bigint",
        _ => "integer",
    };

    public override string Parameter(int index) => index < Names.Length ? Names[index] : "$" + (index + 1);

    public override void AddParameter(DbCommand command, object? value, AttributeTypeCode type)
    {
        var parameter = new NpgsqlParameter { NpgsqlDbType = DbType(value, type) };
        parameter.Value = value switch
        {
            null => DBNull.Value,
            DateTime d => StorageValues.ToUtcSeconds(d),
            _ => value,
        };
        command.Parameters.Add(parameter);
    }

    /// <summary>The parameter type follows the value (a LIKE pattern on a uuid column is text), else the column.</summary>
    private static NpgsqlDbType DbType(object? value, AttributeTypeCode type) => value switch
    {
        Guid => NpgsqlDbType.Uuid,
        string => NpgsqlDbType.Text,
        int => NpgsqlDbType.Integer,
        long => NpgsqlDbType.Bigint,
        bool => NpgsqlDbType.Boolean,
        DateTime => NpgsqlDbType.TimestampTz,
        null => type switch
        {
            _ when StorageValues.IsGuid(type) => NpgsqlDbType.Uuid,
            _ when StorageValues.IsInt32(type) => NpgsqlDbType.Integer,
            AttributeTypeCode.BigInt => NpgsqlDbType.Bigint,
            AttributeTypeCode.Boolean => NpgsqlDbType.Boolean,
            AttributeTypeCode.DateTime => NpgsqlDbType.TimestampTz,
            _ => NpgsqlDbType.Text,
        },
        _ => throw new ArgumentException($"Unsupported storage value type {value.GetType().Name}.", nameof(value)),
    };

    public override object ReadValue(DbDataReader reader, int ordinal, AttributeTypeCode type) => type switch
    {
        _ when StorageValues.IsGuid(type) => reader.GetFieldValue<Guid>(ordinal),
        _ when StorageValues.IsInt32(type) => reader.GetFieldValue<int>(ordinal),
        AttributeTypeCode.BigInt => reader.GetFieldValue<long>(ordinal),
        AttributeTypeCode.Boolean => reader.GetFieldValue<bool>(ordinal),
        AttributeTypeCode.DateTime => reader.GetFieldValue<DateTime>(ordinal),
        _ => reader.GetFieldValue<string>(ordinal),
    };

    /// <summary>
    /// lower() folds case with the database's locale; COLLATE "C" then compares the folded text byte by byte:
    /// the same order as SQLite's NOCASE for ASCII, cheaper than a locale comparison, and LIKE 'prefix%' can
    /// seek the expression index.
    /// </summary>
    public override string FoldCase(string sqlExpression) => "lower(" + sqlExpression + ") COLLATE \"C\"";

    /// <summary>min() and max() compare bytes: the first of the group's values in folded order instead.</summary>
    public override string TextExtreme(string sqlExpression, bool greatest)
    {
        var direction = greatest ? " DESC" : "";
        return $"(array_agg({sqlExpression} ORDER BY {FoldCase(sqlExpression)}{direction}, {sqlExpression}{direction}) FILTER (WHERE {sqlExpression} IS NOT NULL))[1]";
    }

    public override string MatchesIgnoringCase(string sqlExpression, string regexParameter) => sqlExpression + " ~* " + regexParameter;

    // Class 54, program_limit_exceeded: statement_too_complex (stack depth), too_many_columns, too_many_arguments...;
    // 2201B, a wildcard pattern whose regular expression is too large for PostgreSQL's engine.
    public override bool IsTooComplex(DbException exception) =>
        exception is PostgresException { SqlState: ['5', '4', ..] or "2201B" };

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransientConflict(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    // OF the main alias: the name joins are outer joins, whose nullable side cannot be locked.
    public override string RowLockClause(string mainAlias) => $" FOR UPDATE OF {mainAlias}";

    // FOR KEY SHARE: it conflicts with DELETE and SELECT .. FOR UPDATE (what deleting or moving a principal takes
    // first) but not with a plain UPDATE of other columns, nor with the same lock held by any number of writers.
    public override string SharedRowLockClause(string mainAlias) => $" FOR KEY SHARE OF {mainAlias}";

    public override bool SerializesWriters => false;
}
