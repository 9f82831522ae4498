using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Query;

/// <summary>A query past Dataverse's or the database's limits is the caller's 400 fault, never a database error (500).</summary>
public abstract class QueryLimitsTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    [Fact]
    public async Task Sixteen_linked_tables_are_refused_as_Dataverse_refuses_them()
    {
        var query = AccountQuery(NewMarker(), "msdyn_name");
        for (var i = 0; i < SqlQueryCompiler.MaxLinkEntities + 1; i++)
        {
            query.LinkEntities.Add(new LinkEntity(Account, "systemuser", "owninguser", "systemuserid", JoinOperator.LeftOuter) { EntityAlias = "u" + i });
        }

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));

        Assert.Equal(ErrorCodes.TooManyLinkEntities, fault.ErrorCode);
    }

    [Fact]
    public async Task Fifteen_linked_tables_are_read()
    {
        var marker = NewMarker();
        await InsertAsync(AccountRow(marker, "linked"));
        var query = AccountQuery(marker, "msdyn_name");
        for (var i = 0; i < SqlQueryCompiler.MaxLinkEntities; i++)
        {
            query.LinkEntities.Add(new LinkEntity(Account, "systemuser", "owninguser", "systemuserid", JoinOperator.LeftOuter) { EntityAlias = "u" + i });
        }

        Assert.Single((await QueryAsync(query)).Rows);
    }
}

public sealed class QueryLimitsSqliteTests(SqliteStoreFixture fixture) : QueryLimitsTests(fixture), IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task A_filter_nested_past_SQLites_expression_depth_is_a_400_fault()
    {
        var query = AccountQuery(NewMarker(), "msdyn_name");
        var any = new FilterExpression(LogicalOperator.Or);
        for (var i = 0; i < 1_000; i++)
        {
            any.AddCondition("msdyn_name", ConditionOperator.Equal, "name " + i);
        }
        query.Criteria.AddFilter(any);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.Contains("too complex", fault.Message, StringComparison.Ordinal);
    }
}

public sealed class QueryLimitsPostgresTests(PostgresStoreFixture fixture) : QueryLimitsTests(fixture), IClassFixture<PostgresStoreFixture>;
