using System.Text;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Query;

/// <summary>Ordering (case, NULLs) and keyset paging through the cookie.</summary>
public abstract class PagingTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private const string Name = "msdyn_name";

    /// <summary>250 rows: 17 names in mixed case (many duplicates) and some NULLs; letters only, so every collation agrees.</summary>
    private async Task<(string Marker, List<StoredRow> Rows)> SeedAsync(int count = 250)
    {
        var marker = NewMarker();
        var random = new Random(7);
        var rows = Enumerable.Range(0, count).Select(i =>
        {
            var name = i % 25 == 0 ? null : "acct" + (char)('a' + random.Next(17));
            var row = AccountRow(marker, random.Next(2) == 0 ? name?.ToUpperInvariant() : name);
            row["statecode"] = random.Next(2);
            row["importsequencenumber"] = i;
            return row;
        }).ToList();
        await InsertAsync([.. rows]);
        return (marker, rows);
    }

    private static List<Guid> Ids(IEnumerable<StoredRow> rows) => rows.Select(r => (Guid)r[AccountId]!).ToList();

    [Fact]
    public async Task Order_by_text_ignores_case()
    {
        var marker = NewMarker();
        await InsertAsync(AccountRow(marker, "b"), AccountRow(marker, "A"), AccountRow(marker, "c"), AccountRow(marker, "B"), AccountRow(marker, "a"));
        var query = AccountQuery(marker, Name);
        query.AddOrder(Name, OrderType.Ascending);

        var names = (await QueryAsync(query)).Rows.Select(r => ((string)r[Name]!).ToLowerInvariant());

        Assert.Equal(["a", "a", "b", "b", "c"], names);
    }

    [Fact]
    public async Task Nulls_sort_first_ascending_and_last_descending()
    {
        var marker = NewMarker();
        await InsertAsync(AccountRow(marker, "m"), AccountRow(marker, null), AccountRow(marker, "a"));
        var query = AccountQuery(marker, Name);
        query.AddOrder(Name, OrderType.Ascending);
        Assert.Equal([null, "a", "m"], (await QueryAsync(query)).Rows.Select(r => (string?)r[Name]));

        query.Orders[0].OrderType = OrderType.Descending;
        Assert.Equal(["m", "a", null], (await QueryAsync(query)).Rows.Select(r => (string?)r[Name]));
    }

    [Fact]
    public async Task A_first_page_filtered_by_not_in_no_values_keeps_the_null_names()
    {
        var marker = NewMarker();
        await InsertAsync(AccountRow(marker, "m"), AccountRow(marker, null), AccountRow(marker, "a"));
        var query = AccountQuery(marker, Name);
        query.Criteria.AddCondition(new ConditionExpression(Name, ConditionOperator.NotIn));
        query.AddOrder(Name, OrderType.Ascending);
        query.PageInfo.Count = 10;

        Assert.Equal([null, "a", "m"], (await QueryAsync(query)).Rows.Select(r => (string?)r[Name]));
    }

    [Theory]
    [InlineData(OrderType.Ascending)]
    [InlineData(OrderType.Descending)]
    public async Task A_first_page_whose_filter_excludes_null_names_skips_the_null_segment_and_reads_the_same_rows(OrderType order)
    {
        var (marker, rows) = await SeedAsync();
        var filtered = AccountQuery(marker, Name);
        filtered.Criteria.AddCondition(Name, ConditionOperator.BeginsWith, "acct");
        filtered.AddOrder(Name, order);
        filtered.PageInfo.Count = 20;
        var withNulls = AccountQuery(marker, Name);
        var either = new FilterExpression(LogicalOperator.Or);
        either.AddCondition(Name, ConditionOperator.BeginsWith, "acct");
        either.AddCondition(Name, ConditionOperator.Null);
        withNulls.Criteria.AddFilter(either);
        withNulls.AddOrder(Name, order);
        var compiler = ((SqlDataStore)Store).Compiler;

        Assert.Single(compiler.Compile(filtered, Context).Segments);
        Assert.Equal(2, compiler.Compile(withNulls, Context).Segments.Count); // "or null" keeps the segment of those rows

        // Names compared in lower case: rows of equal names may follow each other in either id order here.
        var expected = rows.Select(r => (r[Name] as string)?.ToLowerInvariant()).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (order == OrderType.Descending)
        {
            expected.Reverse();
        }
        var page = await QueryAsync(filtered);
        Assert.Equal(expected.Take(20), page.Rows.Select(r => ((string)r[Name]!).ToLowerInvariant()));
    }

    [Theory]
    [InlineData(OrderType.Descending, OrderType.Descending)]
    [InlineData(OrderType.Ascending, OrderType.Ascending)]
    [InlineData(OrderType.Ascending, OrderType.Descending)]
    public async Task Keyset_paging_returns_every_row_once_in_order(OrderType nameOrder, OrderType stateOrder)
    {
        var (marker, rows) = await SeedAsync();
        QueryExpression Query(int count)
        {
            var query = AccountQuery(marker, Name);
            if (stateOrder != nameOrder)
            {
                query.AddOrder("statecode", stateOrder);
            }
            query.AddOrder(Name, nameOrder);
            query.PageInfo.Count = count;
            return query;
        }

        var unpaged = (await QueryAsync(Query(5000))).Rows;
        var paged = await AllPagesAsync(Query(50));

        Assert.Equal(rows.Count, unpaged.Count);
        Assert.Equal(Ids(unpaged), Ids(paged));
        Assert.Equal(rows.Count, Ids(paged).Distinct().Count());
        var folded = paged.Where(r => r[Name] is not null).Select(r => ((string)r[Name]!).ToLowerInvariant()).ToList();
        if (stateOrder == nameOrder)
        {
            var expected = nameOrder == OrderType.Ascending ? folded.Order(StringComparer.Ordinal) : folded.OrderDescending(StringComparer.Ordinal);
            Assert.Equal(expected, folded);
            Assert.Equal(nameOrder == OrderType.Descending, paged[^1][Name] is null);
        }
    }

    [Theory]
    [InlineData(OrderType.Ascending)]
    [InlineData(OrderType.Descending)]
    public async Task Pages_that_end_inside_the_nulls_continue_correctly(OrderType order)
    {
        var marker = NewMarker();
        await InsertAsync([.. Enumerable.Range(0, 20).Select(i => AccountRow(marker, i % 2 == 0 ? null : "n" + (char)('a' + i)))]);
        QueryExpression Query(int count)
        {
            var query = AccountQuery(marker, Name);
            query.AddOrder(Name, order);
            query.PageInfo.Count = count;
            return query;
        }

        var unpaged = (await QueryAsync(Query(5000))).Rows;
        var paged = await AllPagesAsync(Query(3));

        Assert.Equal(20, paged.Count);
        Assert.Equal(Ids(unpaged), Ids(paged));
    }

    [Fact]
    public async Task Paging_without_an_order_follows_the_primary_id()
    {
        var (marker, rows) = await SeedAsync(120);
        var query = AccountQuery(marker);
        query.PageInfo.Count = 25;

        var paged = await AllPagesAsync(query);

        Assert.Equal(rows.Count, Ids(paged).Distinct().Count());
    }

    [Fact]
    public async Task A_row_updated_between_pages_is_neither_skipped_nor_repeated()
    {
        var (marker, rows) = await SeedAsync(100);
        var query = AccountQuery(marker, Name);
        query.AddOrder(Name, OrderType.Descending);
        query.PageInfo.Count = 30;
        var round = 0;

        var paged = await AllPagesAsync(query, async () =>
        {
            round++;
            await using var transaction = await Store.BeginAsync(TransactionMode.Write);
            foreach (var row in rows)
            {
                await transaction.UpdateAsync(AccountTable, (Guid)row[AccountId]!, new StoredRow { ["importsequencenumber"] = -round });
            }
            await transaction.CommitAsync();
        });

        Assert.Equal(Ids(rows).Order(), Ids(paged).Order());
    }

    [Fact]
    public async Task Rows_inserted_before_the_cursor_do_not_shift_later_pages()
    {
        var (marker, rows) = await SeedAsync(100);
        var query = AccountQuery(marker, Name);
        query.AddOrder(Name, OrderType.Ascending);
        query.PageInfo.Count = 30;

        // NULLs sort first ascending, so new NULL-named rows always land before the cursor.
        var paged = await AllPagesAsync(query, () => InsertAsync(AccountRow(marker, null), AccountRow(marker, null)));

        Assert.Equal(Ids(rows).Order(), Ids(paged).Order());
    }

    [Fact]
    public async Task The_cookie_is_set_only_when_more_records_follow()
    {
        var (marker, _) = await SeedAsync(10);
        var query = AccountQuery(marker);
        query.PageInfo.Count = 10;

        var page = await QueryAsync(query);

        Assert.Equal(10, page.Rows.Count);
        Assert.False(page.MoreRecords);
        Assert.Null(page.PagingCookie);
    }

    [Theory]
    [InlineData("not a cookie")]
    [InlineData("eyJlIjoibXN")]
    [InlineData("")]
    public async Task A_malformed_cookie_is_an_InvalidArgument_fault(string cookie)
    {
        var query = AccountQuery(NewMarker());
        query.PageInfo = new PagingInfo { Count = 10, PagingCookie = cookie == "" ? Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"e\":1}")) : cookie };

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));

        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);
        Assert.Contains("paging cookie", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cookie_of_another_ordering_or_with_a_tampered_value_is_an_InvalidArgument_fault()
    {
        var (marker, _) = await SeedAsync(20);
        var query = AccountQuery(marker, Name);
        query.AddOrder(Name, OrderType.Descending);
        query.PageInfo.Count = 5;
        var cookie = (await QueryAsync(query)).PagingCookie!;

        query.Orders[0].OrderType = OrderType.Ascending;
        query.PageInfo.PagingCookie = cookie;
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));
        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);

        query.Orders[0].OrderType = OrderType.Descending;
        var parts = cookie.Split('.');
        var json = Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(parts[0]));
        var edited = json.Replace("acct", "acce", StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(json, edited);
        query.PageInfo.PagingCookie = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(edited)) + "." + parts[1];
        fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => QueryAsync(query));
        Assert.Equal(ErrorCodes.InvalidArgument, fault.ErrorCode);

        query.PageInfo.PagingCookie = cookie;
        Assert.Equal(5, (await QueryAsync(query)).Rows.Count);
    }

    [Fact]
    public async Task A_page_number_without_a_cookie_skips_the_pages_before_it()
    {
        var (marker, _) = await SeedAsync(30);
        var query = AccountQuery(marker, "importsequencenumber");
        query.AddOrder("importsequencenumber", OrderType.Ascending);
        query.PageInfo = new PagingInfo { Count = 10, PageNumber = 3 };

        var page = await QueryAsync(query);

        Assert.Equal(Enumerable.Range(20, 10), page.Rows.Select(r => (int)r["importsequencenumber"]!));
        Assert.False(page.MoreRecords);
    }

    [Fact]
    public async Task TopCount_limits_the_rows()
    {
        var (marker, _) = await SeedAsync(30);
        var query = AccountQuery(marker);
        query.TopCount = 7;

        var page = await QueryAsync(query);

        Assert.Equal(7, page.Rows.Count);
        Assert.False(page.MoreRecords);
    }

    [Fact]
    public async Task TopCount_with_an_order_keeps_the_nulls_first()
    {
        var marker = NewMarker();
        await InsertAsync(AccountRow(marker, "b"), AccountRow(marker, null), AccountRow(marker, "a"), AccountRow(marker, null));
        var query = AccountQuery(marker, Name);
        query.AddOrder(Name, OrderType.Ascending);
        query.TopCount = 3;

        Assert.Equal([null, null, "a"], (await QueryAsync(query)).Rows.Select(r => (string?)r[Name]));
    }

    [Fact]
    public async Task The_total_record_count_stops_at_the_limit_and_the_page_size_is_capped()
    {
        var (marker, _) = await SeedAsync(5003);
        var query = AccountQuery(marker);
        query.PageInfo = new PagingInfo { Count = 10, ReturnTotalRecordCount = true };
        var page = await QueryAsync(query);
        Assert.Equal(5000, page.TotalRecordCount);
        Assert.True(page.TotalRecordCountLimitExceeded);

        query.PageInfo = new PagingInfo { Count = 0 };
        page = await QueryAsync(query);
        Assert.Equal(5000, page.Rows.Count);
        Assert.True(page.MoreRecords);
        Assert.Equal(-1, page.TotalRecordCount);

        query.PageInfo = new PagingInfo { Count = 9000 };
        Assert.Equal(5000, (await QueryAsync(query)).Rows.Count);

        query.Criteria.AddCondition("importsequencenumber", ConditionOperator.LessThan, 12);
        query.PageInfo = new PagingInfo { Count = 5, ReturnTotalRecordCount = true };
        page = await QueryAsync(query);
        Assert.Equal(12, page.TotalRecordCount);
        Assert.False(page.TotalRecordCountLimitExceeded);
        query.PageInfo.PagingCookie = page.PagingCookie;
        Assert.Equal(12, (await QueryAsync(query)).TotalRecordCount);
    }
}

public sealed class PagingSqliteTests(SqliteStoreFixture fixture)
    : PagingTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class PagingPostgresTests(PostgresStoreFixture fixture)
    : PagingTests(fixture), IClassFixture<PostgresStoreFixture>;
