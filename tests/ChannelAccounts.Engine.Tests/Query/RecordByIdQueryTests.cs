using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Query;

/// <summary>
/// A record by id without links, ordering or row security is compiled once per column list and reused with each
/// id; every other shape is compiled afresh. Either way each query reads its own record.
/// </summary>
public abstract class RecordByIdQueryTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private SqlQueryCompiler Compiler => ((SqlDataStore)Store).Compiler;

    private static QueryExpression ById(Guid id, params string[] columns)
    {
        var query = new QueryExpression(Account) { ColumnSet = new Sdk.ColumnSet(columns), TopCount = 1 };
        query.Criteria.AddCondition(AccountId, ConditionOperator.Equal, id);
        return query;
    }

    [Fact]
    public async Task Records_by_id_each_read_their_own_row_through_one_compiled_statement()
    {
        var marker = NewMarker();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAsync(AccountRow(marker, "first", first), AccountRow(marker, "second", second));

        var one = Compiler.Compile(ById(first, "msdyn_name"), Context);
        var other = Compiler.Compile(ById(second, "msdyn_name"), Context);
        var page1 = await QueryAsync(ById(first, "msdyn_name"));
        var page2 = await QueryAsync(ById(second, "msdyn_name"));

        Assert.Same(one.Segments, other.Segments); // compiled once, not equal text built twice
        Assert.Equal(first, one.Parameters[0].Value);
        Assert.Equal(second, other.Parameters[0].Value);
        Assert.Equal("first", Assert.Single(page1.Rows)["msdyn_name"]);
        Assert.Equal("second", Assert.Single(page2.Rows)["msdyn_name"]);
    }

    [Fact]
    public async Task Another_column_list_is_its_own_statement()
    {
        var id = Guid.NewGuid();
        await InsertAsync(AccountRow(NewMarker(), "columns", id));

        var names = Compiler.Compile(ById(id, "msdyn_name"), Context);
        var markers = Compiler.Compile(ById(id, Marker), Context);
        var page = await QueryAsync(ById(id, Marker));

        Assert.NotEqual(names.Segments[0], markers.Segments[0]);
        var row = Assert.Single(page.Rows);
        Assert.True(row.ContainsKey(Marker));
        Assert.False(row.ContainsKey("msdyn_name"));
    }

    [Fact]
    public async Task A_record_by_id_under_row_security_is_compiled_with_its_callers_filter_every_time()
    {
        var (owner, stranger) = (Guid.NewGuid(), Guid.NewGuid());
        var id = Guid.NewGuid();
        var row = AccountRow(NewMarker(), "secured", id);
        row["ownerid"] = owner;
        await InsertAsync(row);
        var ownerCanRead = Context with { RowSecurity = new RowSecurity([owner], [], [], 1) };
        var strangerCanRead = Context with { RowSecurity = new RowSecurity([stranger], [], [], 1) };

        var first = Compiler.Compile(ById(id, "msdyn_name"), ownerCanRead);
        var second = Compiler.Compile(ById(id, "msdyn_name"), ownerCanRead);

        Assert.NotSame(first.Segments, second.Segments);
        Assert.Contains(owner, first.Parameters.Select(p => p.Value));
        Assert.Single((await QueryAsync(ById(id, "msdyn_name"), ownerCanRead)).Rows);
        Assert.Empty((await QueryAsync(ById(id, "msdyn_name"), strangerCanRead)).Rows);
    }
}

public sealed class RecordByIdQuerySqliteTests(SqliteStoreFixture fixture) : RecordByIdQueryTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class RecordByIdQueryPostgresTests(PostgresStoreFixture fixture) : RecordByIdQueryTests(fixture), IClassFixture<PostgresStoreFixture>;
