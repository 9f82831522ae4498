using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>
/// Helpers for tests that share one database per class: each test tags its rows with a marker of its own
/// (msdyn_provideraccountid) and filters by it, so tests never see each other's rows.
/// </summary>
public abstract class StoreTestBase(IStoreFixture fixture)
{
    protected const string Account = MetadataCatalog.WhatsAppAccount;
    protected const string AccountId = "msdyn_ocwhatsappchannelaccountid";
    protected const string Marker = "msdyn_provideraccountid";

    protected static readonly DateTime Now = new(2026, 3, 15, 12, 30, 0, DateTimeKind.Utc);

    protected IDataStore Store => fixture.Store;

    protected static EntityDefinition AccountTable => MetadataCatalog.Default[Account];

    protected static QueryContext Context { get; } = new(Guid.NewGuid(), Guid.NewGuid(), Now);

    protected static string NewMarker() => "m-" + Guid.NewGuid().ToString("N");

    protected static StoredRow AccountRow(string marker, string? name = null, Guid? id = null) => new()
    {
        [AccountId] = id ?? Guid.NewGuid(),
        [Marker] = marker,
        ["msdyn_name"] = name,
    };

    protected async Task InsertAsync(string entity, params StoredRow[] rows)
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        foreach (var row in rows)
        {
            await transaction.InsertAsync(MetadataCatalog.Default[entity], row);
        }
        await transaction.CommitAsync();
    }

    protected Task InsertAsync(params StoredRow[] rows) => InsertAsync(Account, rows);

    protected async Task<QueryPage> QueryAsync(QueryExpression query, QueryContext? context = null)
    {
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        return await transaction.QueryAsync(query, context ?? Context);
    }

    /// <summary>One account's name, by id.</summary>
    protected static QueryExpression ById(Guid id)
    {
        var query = new QueryExpression(Account) { ColumnSet = new Sdk.ColumnSet("msdyn_name"), TopCount = 1 };
        query.Criteria.AddCondition(AccountId, ConditionOperator.Equal, id);
        return query;
    }

    /// <summary>A query on the accounts of one marker, with more conditions ANDed.</summary>
    protected static QueryExpression AccountQuery(string marker, params string[] columns)
    {
        var query = new QueryExpression(Account) { ColumnSet = new Sdk.ColumnSet(columns) };
        query.Criteria.AddCondition(Marker, ConditionOperator.Equal, marker);
        return query;
    }

    /// <summary>The ids a query returns, every page followed through its cookie.</summary>
    protected async Task<List<StoredRow>> AllPagesAsync(QueryExpression query, Func<Task>? betweenPages = null)
    {
        var rows = new List<StoredRow>();
        while (true)
        {
            var page = await QueryAsync(query);
            rows.AddRange(page.Rows);
            if (!page.MoreRecords)
            {
                Assert.Null(page.PagingCookie);
                return rows;
            }
            Assert.NotNull(page.PagingCookie);
            query.PageInfo.PagingCookie = page.PagingCookie;
            query.PageInfo.PageNumber++;
            if (betweenPages is not null)
            {
                await betweenPages();
            }
        }
    }
}
