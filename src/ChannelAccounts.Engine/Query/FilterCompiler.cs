using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// Turns FilterExpression trees into a parameterised SQL predicate; a filter's AnyAllFilterLinkEntity is one more
/// condition, a test of the related rows of the table its conditions name by default.
/// </summary>
internal sealed class FilterCompiler(SqlBuilder sql, QueryContext context, Func<string?, TableSource> tableOf)
{
    /// <summary>The predicate of a filter, or null when it has no conditions.</summary>
    public string? Compile(FilterExpression filter)
    {
        var parts = new List<string>();
        foreach (var condition in filter.Conditions)
        {
            parts.Add(Condition(condition));
        }
        if (filter.AnyAllFilterLinkEntity is { } link)
        {
            if (!LinkTree.IsTest(link))
            {
                throw DataverseFault.InvalidArgument(
                    $"A filter's link to '{LinkTree.AliasOf(link)}' tests related rows: its JoinOperator must be Any, NotAny, All or NotAll, not {link.JoinOperator}.");
            }
            parts.Add(new LinkPredicates(sql.Catalog, sql, context).Predicate(tableOf(null), link));
        }
        foreach (var child in filter.Filters)
        {
            if (Compile(child) is { } nested)
            {
                parts.Add(nested);
            }
        }
        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => "(" + string.Join(filter.FilterOperator == LogicalOperator.Or ? " OR " : " AND ", parts) + ")",
        };
    }

    private string Condition(ConditionExpression condition)
    {
        var column = sql.Column(tableOf(condition.EntityName), condition.AttributeName);
        if (condition.CompareColumns)
        {
            return CompareColumns(condition, column);
        }

        var values = condition.Values;
        var c = column.Sql;
        var cc = sql.Dialect.Comparable(c, column.Type);
        return condition.Operator switch
        {
            ConditionOperator.Equal or ConditionOperator.NotEqual when ConditionValues.Single(condition) is null =>
                throw DataverseFault.InvalidArgument(
                    $"null is not a valid value for an attribute. Use 'Null' or 'NotNull' conditions instead ('{condition.AttributeName}' {condition.Operator} null)."),
            ConditionOperator.Equal or ConditionOperator.NotEqual or ConditionOperator.GreaterThan or ConditionOperator.LessThan
                or ConditionOperator.GreaterEqual or ConditionOperator.LessEqual
                when column.Type == AttributeTypeCode.DateTime && BetweenSeconds(condition, column) is { } between => between,
            ConditionOperator.Equal or ConditionOperator.NotEqual or ConditionOperator.In or ConditionOperator.NotIn
                when NeedsFullFolding(column, condition.Values) =>
                FullyFoldedIn(column, condition.Values, negate: condition.Operator is ConditionOperator.NotEqual or ConditionOperator.NotIn),
            ConditionOperator.Equal => cc + " = " + Value(ConditionValues.Single(condition), column),
            ConditionOperator.NotEqual => cc + " <> " + Value(ConditionValues.Single(condition), column),
            ConditionOperator.GreaterThan => cc + " > " + Value(ConditionValues.Single(condition), column),
            ConditionOperator.LessThan => cc + " < " + Value(ConditionValues.Single(condition), column),
            ConditionOperator.GreaterEqual => cc + " >= " + Value(ConditionValues.Single(condition), column),
            ConditionOperator.LessEqual => cc + " <= " + Value(ConditionValues.Single(condition), column),
            ConditionOperator.Like => Like(column, Text(condition), false),
            ConditionOperator.NotLike => Like(column, Text(condition), true),
            ConditionOperator.BeginsWith => Like(column, Text(condition) + "%", false),
            ConditionOperator.DoesNotBeginWith => Like(column, Text(condition) + "%", true),
            ConditionOperator.EndsWith => Like(column, "%" + Text(condition), false),
            ConditionOperator.DoesNotEndWith => Like(column, "%" + Text(condition), true),
            ConditionOperator.Contains => Like(column, "%" + Text(condition) + "%", false),
            ConditionOperator.DoesNotContain => Like(column, "%" + Text(condition) + "%", true),
            ConditionOperator.In => In(column, values, false),
            ConditionOperator.NotIn => In(column, values, true),
            ConditionOperator.Between => Between(condition, column, false),
            ConditionOperator.NotBetween => Between(condition, column, true),
            ConditionOperator.Null => c + " IS NULL",
            ConditionOperator.NotNull => c + " IS NOT NULL",
            ConditionOperator.EqualUserId => c + " = " + CallerId(condition, column, context.UserId),
            ConditionOperator.NotEqualUserId => c + " <> " + CallerId(condition, column, context.UserId),
            ConditionOperator.EqualBusinessId => c + " = " + CallerId(condition, column, context.BusinessUnitId),
            ConditionOperator.NotEqualBusinessId => c + " <> " + CallerId(condition, column, context.BusinessUnitId),
            ConditionOperator.EqualUserTeams => TeamsOfCaller(condition, column, orCaller: false),
            ConditionOperator.EqualUserOrUserTeams => TeamsOfCaller(condition, column, orCaller: true),
            _ => new DateConditionCompiler(sql, context).Compile(condition, column),
        };
    }

    private string CompareColumns(ConditionExpression condition, ColumnExpression column)
    {
        if (condition.Values.Count != 1 || condition.Values[0] is not string otherName)
        {
            throw DataverseFault.InvalidArgument($"A column comparison on '{condition.AttributeName}' needs exactly one column name as its value.");
        }
        // "alias.column" names a linked table's column, as FetchXML's valueof may.
        var dot = otherName.IndexOf('.');
        var other = dot > 0 ? sql.Column(tableOf(otherName[..dot]), otherName[(dot + 1)..]) : sql.Column(tableOf(condition.EntityName), otherName);
        if (ComparisonFamily(column.Type) != ComparisonFamily(other.Type))
        {
            throw DataverseFault.InvalidArgument($"The columns '{column.Attribute.LogicalName}' ({column.Type}) and '{other.Attribute.LogicalName}' " +
                $"({other.Type}) cannot be compared: a column comparison needs two columns of the same type.");
        }

        var op = condition.Operator switch
        {
            ConditionOperator.Equal => " = ",
            ConditionOperator.NotEqual => " <> ",
            ConditionOperator.GreaterThan => " > ",
            ConditionOperator.LessThan => " < ",
            ConditionOperator.GreaterEqual => " >= ",
            ConditionOperator.LessEqual => " <= ",
            _ => throw DataverseFault.InvalidArgument($"The condition operator {condition.Operator} cannot compare two columns."),
        };
        return sql.Dialect.Comparable(column.Sql, column.Type) + op + sql.Dialect.Comparable(other.Sql, other.Type);
    }

    /// <summary>
    /// Which columns hold values of one kind as the store keeps them, so that SQL Server (and so Dataverse) compares
    /// them: any two whole numbers (an owner's type is its type code), any two ids, otherwise the same storage type.
    /// </summary>
    private static Type ComparisonFamily(AttributeTypeCode type) =>
        type is AttributeTypeCode.BigInt ? typeof(int) : StorageValues.ClrType(type);

    private const string LikeEscape = " ESCAPE '\\'"; // TransactSqlLike.Escape, explicit: PostgreSQL's default, not SQLite's

    /// <summary>A like, begins-with, contains... condition: <paramref name="pattern"/> is read as SQL Server reads it (TransactSqlLike).</summary>
    private string Like(ColumnExpression column, string pattern, bool negate)
    {
        if (!SqlDialect.IsText(column.Type))
        {
            throw DataverseFault.InvalidArgument(
                $"The column '{column.Attribute.LogicalName}' is {column.Type}; pattern conditions (like, begins with, contains...) need a text column.");
        }
        var like = TransactSqlLike.Parse(pattern);
        var folded = sql.Dialect.FoldCase(column.Sql);
        // SQLite's LIKE ignores the case of ASCII letters only: a pattern with other letters is matched as a regular
        // expression, which ignores the case of every letter; its ASCII start still seeks the index.
        if (like.NeedsRegex || (sql.Dialect.FoldsAsciiOnly && !System.Text.Ascii.IsValid(pattern)))
        {
            var matches = sql.Dialect.MatchesIgnoringCase(column.Sql, sql.Parameter(like.ToRegex(), AttributeTypeCode.String));
            if (negate)
            {
                return "NOT (" + matches + ")";
            }

            return sql.Dialect.FoldsAsciiOnly && LikePrefix.Range(like.AsciiStart(), foldsAsciiOnly: true) is { } start
                ? "(" + Seek(start) + " AND " + matches + ")"
                : "(" + matches + ")";
        }

        string LikeTest() => folded + (negate ? " NOT LIKE " : " LIKE ") +
                             sql.Dialect.LikePattern(sql.Parameter(like.ToLikePattern(), AttributeTypeCode.String)) + LikeEscape;
        if (negate || LikePrefix.Range(like, sql.Dialect.FoldsAsciiOnly) is not { } range)
        {
            return LikeTest();
        }

        // Both databases derive such a range only from a pattern they know while planning: PostgreSQL from a constant
        // (never in a generic plan of a prepared statement), SQLite from the value bound at the time, planning again at
        // every new one (SqlDialect.LikePattern turns that off). So the range is written here for both.
        // The range seeks the folded-column index in every plan; the LIKE stays as the exact test unless the range is
        // exact (a startswith): then the LIKE would only repeat it, and PostgreSQL, counting the range it derives from a
        // constant pattern a second time, estimated one row and read and sorted every match instead of the first page.
        return range.IsExact ? "(" + Seek(range) + ")" : "(" + Seek(range) + " AND " + LikeTest() + ")";

        string Seek(LikePrefix.PrefixRange prefix) =>
            folded + " >= " + sql.Parameter(prefix.From, AttributeTypeCode.String) + " AND " + folded + " < " + sql.Parameter(prefix.To, AttributeTypeCode.String);
    }

    /// <summary>
    /// SQLite's NOCASE folds ASCII letters only ('BÉTA' is not 'béta'), so text with other letters is compared through
    /// the store's full folding instead; such values are rare, and a right answer beats the index.
    /// </summary>
    private bool NeedsFullFolding(ColumnExpression column, IEnumerable<object?> values) =>
        sql.Dialect.FoldsAsciiOnly && SqlDialect.IsText(column.Type) && values.Any(v => v is string text && !System.Text.Ascii.IsValid(text));

    private string FullyFoldedIn(ColumnExpression column, IReadOnlyCollection<object?> values, bool negate)
    {
        var text = new StringBuilder(sql.Dialect.FullyFolded(column.Sql)).Append(negate ? " NOT IN (" : " IN (");
        var first = true;
        foreach (var value in values)
        {
            var converted = ConditionValues.Convert(value, column.Attribute, sql.Catalog);
            text.Append(first ? "" : ", ").Append(sql.Parameter(converted is string s ? sql.Dialect.FullyFoldedValue(s) : converted, column.Type));
            first = false;
        }
        return text.Append(')').ToString();
    }

    private string In(ColumnExpression column, List<object?> values, bool negate)
    {
        if (values.Count == 0)
        {
            return negate ? "1 = 1" : "1 = 0";
        }
        var text = new StringBuilder(sql.Dialect.Comparable(column.Sql, column.Type)).Append(negate ? " NOT IN (" : " IN (");
        for (var i = 0; i < values.Count; i++)
        {
            text.Append(i == 0 ? "" : ", ").Append(Value(values[i], column));
        }
        return text.Append(')').ToString();
    }

    private string Between(ConditionExpression condition, ColumnExpression column, bool negate)
    {
        if (condition.Values.Count != 2)
        {
            throw DataverseFault.InvalidArgument($"The condition operator {condition.Operator} on '{column.Attribute.LogicalName}' needs exactly two values.");
        }
        return sql.Dialect.Comparable(column.Sql, column.Type) + (negate ? " NOT BETWEEN " : " BETWEEN ") +
               Value(condition.Values[0], column) + " AND " + Value(condition.Values[1], column);
    }

    /// <summary>
    /// Dates are stored in whole seconds, and a parameter would be cut to one: a comparison with a value between two
    /// seconds (00:00:00.5) is written against the second before or after it, so that lt 00:00:00.5 still takes
    /// 00:00:00 and eq matches nothing (a null date stays unknown, as in any comparison). Null for a whole second.
    /// </summary>
    private string? BetweenSeconds(ConditionExpression condition, ColumnExpression column)
    {
        if (ConditionValues.Convert(ConditionValues.Single(condition), column.Attribute, sql.Catalog) is not DateTime value
            || StorageValues.ToUtcSeconds(value) is var before && before == StorageValues.ToUtc(value))
        {
            return null;
        }

        var floor = sql.Parameter(before, AttributeTypeCode.DateTime);
        var ceiling = sql.Parameter(before.AddSeconds(1), AttributeTypeCode.DateTime);
        var c = column.Sql;
        return condition.Operator switch
        {
            ConditionOperator.Equal => $"({c} > {floor} AND {c} < {ceiling})",
            ConditionOperator.NotEqual => $"({c} <= {floor} OR {c} >= {ceiling})",
            ConditionOperator.LessThan or ConditionOperator.LessEqual => $"{c} <= {floor}",
            _ => $"{c} >= {ceiling}",
        };
    }

    private string Value(object? value, ColumnExpression column) =>
        sql.ComparableParameter(ConditionValues.Convert(value, column.Attribute, sql.Catalog), column.Type);

    private static string Text(ConditionExpression condition) =>
        ConditionValues.Single(condition) is string text
            ? text
            : throw DataverseFault.InvalidArgument($"The condition operator {condition.Operator} on '{condition.AttributeName}' needs a text value.");

    /// <summary>
    /// The caller's user or business unit id as a parameter, for a column that holds ids: a lookup or a
    /// uniqueidentifier. Any other column is the caller's mistake (PostgreSQL refused the id as, say, a date: a 500).
    /// </summary>
    private string CallerId(ConditionExpression condition, ColumnExpression column, Guid id)
    {
        if (!column.Attribute.IsLookup && column.Type != AttributeTypeCode.Uniqueidentifier)
        {
            throw DataverseFault.InvalidArgument(
                $"The condition operator {condition.Operator} compares an id with the caller's; '{column.Attribute.LogicalName}' is {column.Type}, not a lookup or uniqueidentifier.");
        }

        return sql.Parameter(id, column.Type);
    }

    /// <summary>
    /// The lookup names one of the teams the caller is a member of (or the caller, for EqualUserOrUserTeams): a
    /// subquery of the membership table, so it follows the memberships of the moment the query runs.
    /// </summary>
    private string TeamsOfCaller(ConditionExpression condition, ColumnExpression column, bool orCaller)
    {
        if (!column.Attribute.IsLookup)
        {
            throw DataverseFault.InvalidArgument(
                $"The condition operator {condition.Operator} compares a lookup with the caller's teams; '{column.Attribute.LogicalName}' is {column.Type}.");
        }

        var me = sql.Parameter(context.UserId, column.Type);
        var teams = $"{column.Sql} IN (SELECT tm.teamid FROM {MetadataCatalog.TeamMembership} tm WHERE tm.systemuserid = {me})";
        return orCaller ? $"({column.Sql} = {me} OR {teams})" : teams;
    }
}
