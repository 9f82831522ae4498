using System.Text.RegularExpressions;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Query;

/// <summary>
/// Every parameter a compiled query binds is used by its SQL: PostgreSQL cannot type a parameter no statement uses
/// (42P18 when the statement is prepared by hand), and a bound value the SQL ignores is a condition silently dropped.
/// </summary>
public abstract class CompiledParametersTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    [Theory]
    [InlineData(ConditionOperator.BeginsWith, "Acme 12")]
    [InlineData(ConditionOperator.Like, "a%b%")]
    [InlineData(ConditionOperator.Like, "ab_d%")]
    [InlineData(ConditionOperator.Contains, "cme")]
    [InlineData(ConditionOperator.EndsWith, "12")]
    [InlineData(ConditionOperator.DoesNotBeginWith, "Acme")]
    [InlineData(ConditionOperator.NotLike, "a%")]
    public async Task Every_bound_parameter_of_a_pattern_condition_appears_in_the_sql(ConditionOperator op, string value)
    {
        var marker = NewMarker();
        await InsertAsync(AccountRow(marker, "Acme 12 Support"), AccountRow(marker, "abcd"));
        var query = AccountQuery(marker, "msdyn_name");
        query.Criteria.AddCondition("msdyn_name", op, value);
        query.AddOrder("msdyn_name", OrderType.Ascending);
        var store = (SqlDataStore)Store;

        var compiled = store.Compiler.Compile(query, Context);
        var sql = string.Join("\n", compiled.Segments);

        for (var i = 0; i < compiled.Parameters.Count; i++)
        {
            var placeholder = store.Dialect.Parameter(i);
            Assert.Matches(Regex.Escape(placeholder) + @"(?!\d)", sql);
        }
        _ = await QueryAsync(query); // and it runs
    }
}

public sealed class CompiledParametersSqliteTests(SqliteStoreFixture fixture) : CompiledParametersTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class CompiledParametersPostgresTests(PostgresStoreFixture fixture) : CompiledParametersTests(fixture), IClassFixture<PostgresStoreFixture>;
