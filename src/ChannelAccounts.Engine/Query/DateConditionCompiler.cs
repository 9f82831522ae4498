using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Query;

/// <summary>
/// The date operators (Today, LastXHours, ThisMonth, OlderThanXDays, On...) as ranges of a date and time column,
/// relative to QueryContext.UtcNow. Days, weeks, months and years are UTC calendar units; a week starts on Sunday,
/// Dataverse's default first day of the week.
/// </summary>
internal sealed class DateConditionCompiler(SqlBuilder sql, QueryContext context)
{
    public string Compile(ConditionExpression condition, ColumnExpression column)
    {
        if (column.Type != Metadata.AttributeTypeCode.DateTime)
        {
            throw DataverseFault.InvalidArgument(
                $"The condition operator {condition.Operator} can only be used on a date and time column; '{column.Attribute.LogicalName}' is {column.Type}.");
        }

        var now = StorageValues.ToUtcSeconds(context.UtcNow);
        var today = now.Date;
        var week = today.AddDays(-(int)today.DayOfWeek);
        var month = today.AddDays(1 - today.Day);
        var year = month.AddMonths(1 - month.Month);
        int Count(string unit) => ConditionValues.ConvertCount(ConditionValues.Single(condition), condition.AttributeName, unit);
        string Before(DateTime limit) => column.Sql + " < " + sql.Parameter(limit, column.Type);

        return condition.Operator switch
        {
            ConditionOperator.Today => Range(column, today, today.AddDays(1)),
            ConditionOperator.Yesterday => Range(column, today.AddDays(-1), today),
            ConditionOperator.Tomorrow => Range(column, today.AddDays(1), today.AddDays(2)),
            ConditionOperator.Last7Days => Range(column, today.AddDays(-7), now, inclusiveEnd: true),
            ConditionOperator.Next7Days => Range(column, now, today.AddDays(8)),
            ConditionOperator.ThisWeek => Range(column, week, week.AddDays(7)),
            ConditionOperator.LastWeek => Range(column, week.AddDays(-7), week),
            ConditionOperator.NextWeek => Range(column, week.AddDays(7), week.AddDays(14)),
            ConditionOperator.ThisMonth => Range(column, month, month.AddMonths(1)),
            ConditionOperator.LastMonth => Range(column, month.AddMonths(-1), month),
            ConditionOperator.NextMonth => Range(column, month.AddMonths(1), month.AddMonths(2)),
            ConditionOperator.ThisYear => Range(column, year, year.AddYears(1)),
            ConditionOperator.LastYear => Range(column, year.AddYears(-1), year),
            ConditionOperator.NextYear => Range(column, year.AddYears(1), year.AddYears(2)),
            ConditionOperator.LastXHours => Range(column, now.AddHours(-Count("hours")), now, inclusiveEnd: true),
            ConditionOperator.NextXHours => Range(column, now, now.AddHours(Count("hours")), inclusiveEnd: true),
            ConditionOperator.LastXDays => Range(column, today.AddDays(-Count("days")), now, inclusiveEnd: true),
            ConditionOperator.NextXDays => Range(column, now, today.AddDays(Count("days") + 1)),
            ConditionOperator.LastXWeeks => Range(column, today.AddDays(-7 * Count("weeks")), now, inclusiveEnd: true),
            ConditionOperator.NextXWeeks => Range(column, now, today.AddDays((7 * Count("weeks")) + 1)),
            ConditionOperator.LastXMonths => Range(column, today.AddMonths(-Count("months")), now, inclusiveEnd: true),
            ConditionOperator.NextXMonths => Range(column, now, today.AddMonths(Count("months")).AddDays(1)),
            ConditionOperator.LastXYears => Range(column, today.AddYears(-Count("years")), now, inclusiveEnd: true),
            ConditionOperator.NextXYears => Range(column, now, today.AddYears(Count("years")).AddDays(1)),
            ConditionOperator.OlderThanXMinutes => Before(now.AddMinutes(-Count("minutes"))),
            ConditionOperator.OlderThanXHours => Before(now.AddHours(-Count("hours"))),
            ConditionOperator.OlderThanXDays => Before(now.AddDays(-Count("days"))),
            ConditionOperator.OlderThanXWeeks => Before(now.AddDays(-7 * Count("weeks"))),
            ConditionOperator.OlderThanXMonths => Before(now.AddMonths(-Count("months"))),
            ConditionOperator.OlderThanXYears => Before(now.AddYears(-Count("years"))),
            ConditionOperator.On => Range(column, Day(condition, column), DayAfter(Day(condition, column))),
            ConditionOperator.NotOn => "NOT " + Range(column, Day(condition, column), DayAfter(Day(condition, column))),
            ConditionOperator.OnOrBefore => Before(DayAfter(Day(condition, column))),
            ConditionOperator.OnOrAfter => column.Sql + " >= " + sql.Parameter(Day(condition, column), column.Type),
            _ => throw DataverseFault.InvalidArgument($"The condition operator {condition.Operator} is not supported."),
        };
    }

    /// <summary>The start of the next day, the exclusive end of a day; the last day of the calendar ends at its last tick.</summary>
    private static DateTime DayAfter(DateTime day) => day < DateTime.MaxValue.Date ? day.AddDays(1) : DateTime.MaxValue;

    private string Range(ColumnExpression column, DateTime from, DateTime to, bool inclusiveEnd = false) =>
        "(" + column.Sql + " >= " + sql.Parameter(from, column.Type) + " AND " + column.Sql +
        (inclusiveEnd ? " <= " : " < ") + sql.Parameter(to, column.Type) + ")";

    private static DateTime Day(ConditionExpression condition, ColumnExpression column) =>
        ConditionValues.ConvertDay(ConditionValues.Single(condition), column.Attribute);
}
