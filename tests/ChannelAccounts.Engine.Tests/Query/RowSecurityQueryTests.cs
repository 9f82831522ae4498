using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Tests.Storage;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Query;

/// <summary>
/// A query with row security returns exactly the readable rows (owned, of the units, shared with the right) in the
/// query's order, whatever the shape: every page through the cookie, OFFSET pages, TopCount, the total count. Rows of
/// each source are interleaved in the order, so pages cross from one security branch to another.
/// </summary>
public abstract class RowSecurityQueryTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private const string Name = "msdyn_name";
    private const int Read = 1;
    private const int Write = 2;

    private static readonly Guid[] Users = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
    private static readonly Guid Team = Guid.NewGuid();
    private static readonly Guid[] Units = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];

    /// <summary>The callers: Basic (own and shared), Basic through a team, Local, Deep with a team, only a unit, nothing.</summary>
    public static TheoryData<string> Callers => ["basic", "basic-team", "local", "deep-team", "unit-only", "nothing"];

    private static RowSecurity Caller(string name) => name switch
    {
        "basic" => new RowSecurity([Users[0]], [], [Users[0]], Read),
        "basic-team" => new RowSecurity([Users[0], Team], [], [Users[0], Team], Read),
        "local" => new RowSecurity([Users[0]], [Units[0]], [Users[0]], Read),
        "deep-team" => new RowSecurity([Users[0], Team], [Units[0], Units[1]], [Users[0], Team], Read),
        "unit-only" => new RowSecurity([], [Units[1]], [], Read),
        "nothing" => new RowSecurity([], [], [], Read),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private sealed record Seeded(string Marker, Dictionary<Guid, (Guid Owner, Guid Unit)> Rows, List<(Guid Object, Guid Principal, int Mask)> Shares)
    {
        public HashSet<Guid> Readable(RowSecurity security) => Rows.Where(r =>
                security.OwnerIds.Contains(r.Value.Owner) || security.BusinessUnitIds.Contains(r.Value.Unit)
                || Shares.Any(s => s.Object == r.Key && security.SharePrincipalIds.Contains(s.Principal) && (s.Mask & security.AccessRight) != 0))
            .Select(r => r.Key).ToHashSet();
    }

    /// <summary>90 rows over 4 owners and 3 units, names with duplicates in mixed case and NULLs; a third shared, some without Read.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var marker = NewMarker();
        var random = new Random(11);
        var owners = new[] { Users[0], Users[1], Users[2], Team };
        var rows = new Dictionary<Guid, (Guid, Guid)>();
        var stored = new List<StoredRow>();
        var shares = new List<(Guid, Guid, int)>();
        for (var i = 0; i < 90; i++)
        {
            var owner = owners[random.Next(owners.Length)];
            var unit = Units[random.Next(Units.Length)];
            var name = i % 13 == 0 ? null : "acct" + (char)('a' + random.Next(9));
            var row = AccountRow(marker, random.Next(2) == 0 ? name?.ToUpperInvariant() : name);
            row["ownerid"] = owner;
            row["owneridtype"] = owner == Team ? 9 : 8;
            row["owningbusinessunit"] = unit;
            row["statecode"] = random.Next(2);
            row["importsequencenumber"] = i;
            stored.Add(row);
            var id = (Guid)row[AccountId]!;
            rows.Add(id, (owner, unit));
            if (random.Next(3) == 0)
            {
                shares.Add((id, random.Next(2) == 0 ? Users[0] : Team, random.Next(4) == 0 ? Write : Read | Write));
            }
        }
        await InsertAsync([.. stored]);
        await InsertAsync("principalobjectaccess", [.. shares.Select(s => new StoredRow
        {
            ["principalobjectaccessid"] = Guid.NewGuid(),
            ["principalid"] = s.Item2,
            ["principaltypecode"] = s.Item2 == Team ? 9 : 8,
            ["objectid"] = s.Item1,
            ["objecttypecode"] = AccountTable.ObjectTypeCode,
            ["accessrightsmask"] = s.Item3,
            ["inheritedaccessrightsmask"] = 0,
        })]);
        return new Seeded(marker, rows, shares);
    }

    /// <summary>The query shapes: each ordering the pages may take, with and without criteria.</summary>
    private static readonly string[] ShapeNames = ["name", "name-desc", "state-desc-name", "sequence", "id", "active-name"];

    private static QueryExpression Shape(string marker, string shape, int pageSize)
    {
        var query = AccountQuery(marker, Name, "statecode", "importsequencenumber");
        switch (shape)
        {
            case "name":
                query.AddOrder(Name, OrderType.Ascending);
                break;
            case "name-desc":
                query.AddOrder(Name, OrderType.Descending);
                break;
            case "state-desc-name":
                query.AddOrder("statecode", OrderType.Descending);
                query.AddOrder(Name, OrderType.Ascending);
                break;
            case "sequence":
                query.AddOrder("importsequencenumber", OrderType.Descending);
                break;
            case "active-name":
                query.Criteria.AddCondition("statecode", ConditionOperator.Equal, 0);
                query.AddOrder(Name, OrderType.Ascending);
                break;
        }
        query.PageInfo.Count = pageSize;
        return query;
    }

    /// <summary>What the caller must get: the rows of the unrestricted query, in its order, less those it cannot read.</summary>
    private async Task<List<Guid>> ExpectedAsync(Seeded seeded, string shape, RowSecurity security)
    {
        var readable = seeded.Readable(security);
        var all = (await QueryAsync(Shape(seeded.Marker, shape, 5000))).Rows;
        return all.Select(r => (Guid)r[AccountId]!).Where(readable.Contains).ToList();
    }

    private async Task<List<Guid>> AllPagesAsync(QueryExpression query, RowSecurity security)
    {
        var context = Context with { RowSecurity = security };
        var ids = new List<Guid>();
        while (true)
        {
            var page = await QueryAsync(query, context);
            ids.AddRange(page.Rows.Select(r => (Guid)r[AccountId]!));
            if (!page.MoreRecords)
            {
                return ids;
            }
            query.PageInfo.PagingCookie = page.PagingCookie;
            query.PageInfo.PageNumber++;
        }
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Every_page_through_the_cookie_holds_exactly_the_readable_rows_in_order(string caller)
    {
        var seeded = await SeedAsync();
        var security = Caller(caller);
        foreach (var shape in ShapeNames)
        {
            var expected = await ExpectedAsync(seeded, shape, security);

            var paged = await AllPagesAsync(Shape(seeded.Marker, shape, 4), security);

            Assert.True(expected.SequenceEqual(paged), $"{caller}, {shape}: expected {expected.Count} rows, got {paged.Count}");
        }
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Numbered_pages_TopCount_and_the_total_count_see_only_readable_rows(string caller)
    {
        var seeded = await SeedAsync();
        var security = Caller(caller);
        var context = Context with { RowSecurity = security };
        var expected = await ExpectedAsync(seeded, "name", security);

        var numbered = Shape(seeded.Marker, "name", 5);
        numbered.PageInfo.PageNumber = 3;
        numbered.PageInfo.ReturnTotalRecordCount = true;
        var page = await QueryAsync(numbered, context);
        Assert.Equal(expected.Skip(10).Take(5), page.Rows.Select(r => (Guid)r[AccountId]!));
        Assert.Equal(expected.Count > 15, page.MoreRecords);
        Assert.Equal(expected.Count, page.TotalRecordCount);

        var top = Shape(seeded.Marker, "name", 0);
        top.TopCount = 7;
        Assert.Equal(expected.Take(7), (await QueryAsync(top, context)).Rows.Select(r => (Guid)r[AccountId]!));
    }

    [Fact]
    public async Task A_record_by_id_is_returned_only_when_readable()
    {
        var seeded = await SeedAsync();
        var security = Caller("local");
        var readable = seeded.Readable(security);
        foreach (var id in seeded.Rows.Keys.Take(20))
        {
            var query = new QueryExpression(Account) { ColumnSet = new Sdk.ColumnSet(Name), TopCount = 1 };
            query.Criteria.AddCondition(AccountId, ConditionOperator.Equal, id);

            var rows = (await QueryAsync(query, Context with { RowSecurity = security })).Rows;

            Assert.Equal(readable.Contains(id) ? 1 : 0, rows.Count);
        }
    }

    [Fact]
    public void A_page_reads_one_branch_per_source_and_a_record_by_id_one_predicate()
    {
        var compiler = ((SqlDataStore)Store).Compiler;
        var query = Shape("m", "name", 50);
        var local = Context with { RowSecurity = Caller("local") };

        var page = compiler.Compile(query, local);
        Assert.All(page.Segments, s => Assert.Equal(2, CountOf(s, " UNION ALL ")));
        Assert.DoesNotContain("EXISTS", page.Segments[0], StringComparison.Ordinal);

        var byId = new QueryExpression(Account) { ColumnSet = new Sdk.ColumnSet(Name), TopCount = 1 };
        byId.Criteria.AddCondition(AccountId, ConditionOperator.Equal, Guid.NewGuid());
        var single = compiler.Compile(byId, local);
        Assert.DoesNotContain("UNION", single.Segments[0], StringComparison.Ordinal);
        Assert.Contains("EXISTS", single.Segments[0], StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}

public sealed class RowSecurityQuerySqliteTests(SqliteStoreFixture fixture)
    : RowSecurityQueryTests(fixture), IClassFixture<SqliteStoreFixture>
{
    /// <summary>SQLite reads each branch from the index that leads with its security column, in name order (no range walk).</summary>
    [Fact]
    public async Task Each_branch_seeks_its_own_index()
    {
        var compiler = ((SqlDataStore)Store).Compiler;
        var query = new QueryExpression(Account) { ColumnSet = new Sdk.ColumnSet("msdyn_name") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, "Acme 12");
        query.AddOrder("msdyn_name", OrderType.Ascending);
        query.PageInfo.Count = 50;
        var compiled = compiler.Compile(query, Context with
        {
            RowSecurity = new RowSecurity([Guid.NewGuid()], [Guid.NewGuid()], [Guid.NewGuid()], 1),
        });

        var plan = await ExplainAsync(compiled);

        Assert.Contains("ix_msdyn_ocwhatsappchannelaccount_ownerid_msdyn_name (ownerid=? AND msdyn_name>? AND msdyn_name<?)", plan, StringComparison.Ordinal);
        Assert.Contains("ix_msdyn_ocwhatsappchannelaccount_owningbusinessunit_msdyn_name (owningbusinessunit=? AND msdyn_name>? AND msdyn_name<?)", plan, StringComparison.Ordinal);
        Assert.Contains("ix_principalobjectaccess_principalid", plan, StringComparison.Ordinal);
    }

    private async Task<string> ExplainAsync(CompiledQuery compiled)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + fixture.ConnectionSpec[DataStore.SqlitePrefix.Length..]);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + compiled.Segments[^1];
        foreach (var parameter in compiled.Parameters)
        {
            Engine.Storage.Sqlite.SqliteDialect.Instance.AddParameter(command, parameter.Value, parameter.Type);
        }
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }
        return string.Join('\n', lines);
    }
}

public sealed class RowSecurityQueryPostgresTests(PostgresStoreFixture fixture)
    : RowSecurityQueryTests(fixture), IClassFixture<PostgresStoreFixture>;
