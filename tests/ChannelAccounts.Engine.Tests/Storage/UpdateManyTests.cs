using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Testing;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>The set-based writes of UpdateMultiple: one read of all the records, then multi-row UPDATE statements.</summary>
public abstract class UpdateManyTests(IStoreFixture fixture) : StoreTestBase(fixture)
{
    private async Task<List<StoredRow>> InsertedAsync(string marker, int count)
    {
        var rows = Enumerable.Range(0, count).Select(i => AccountRow(marker, "before " + i)).ToList();
        await InsertAsync([.. rows]);
        return rows;
    }

    private static StoredRow Change(StoredRow row, string name, int? state = null)
    {
        var change = new StoredRow { [AccountId] = row[AccountId], ["msdyn_name"] = name };
        if (state is { } value)
        {
            change["statecode"] = value;
        }
        return change;
    }

    [Fact]
    public async Task Records_read_for_update_come_back_by_id_in_one_statement_and_missing_ids_are_left_out()
    {
        var rows = await InsertedAsync(NewMarker(), 3);
        var missing = Guid.NewGuid();

        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        var read = await transaction.RetrieveManyForUpdateAsync(AccountTable, [.. rows.Select(r => (Guid)r[AccountId]!), missing], ["msdyn_name"]);

        Assert.Equal(3, read.Count);
        Assert.False(read.ContainsKey(missing));
        Assert.Equal("before 1", read[(Guid)rows[1][AccountId]!]["msdyn_name"]);
    }

    [Fact]
    public async Task Rows_changing_the_same_columns_share_one_statement_and_each_keeps_its_own_values()
    {
        var marker = NewMarker();
        var rows = await InsertedAsync(marker, 4);

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            var updated = await transaction.UpdateManyAsync(AccountTable,
                [Change(rows[0], "after 0"), Change(rows[1], "after 1", state: 1), Change(rows[2], "after 2"), Change(rows[3], "after 3", state: 1)]);
            Assert.Equal(4, updated);
            // Two column sets (name; name and state): two statements for four records.
            Assert.Equal(2, ((SqlStoreTransaction)transaction).UpdateManyStatements);
            await transaction.CommitAsync();
        }

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        for (var i = 0; i < rows.Count; i++)
        {
            var stored = await read.RetrieveAsync(AccountTable, (Guid)rows[i][AccountId]!, ["msdyn_name", "statecode"]);
            Assert.Equal("after " + i, stored!["msdyn_name"]);
            Assert.Equal(i % 2 == 1 ? 1 : null, stored["statecode"] as int?); // the others' state was never set
        }
    }

    [Fact]
    public async Task An_id_without_a_record_is_not_counted_as_updated()
    {
        var rows = await InsertedAsync(NewMarker(), 1);

        await using var transaction = await Store.BeginAsync(TransactionMode.Write);
        var ghost = new StoredRow { [AccountId] = Guid.NewGuid(), ["msdyn_name"] = "nobody" };
        Assert.Equal(1, await transaction.UpdateManyAsync(AccountTable, [Change(rows[0], "after"), ghost]));
    }

    [Fact]
    public async Task UpdateWhere_sets_every_matching_row_in_one_statement_each_with_a_new_version_of_its_own()
    {
        var marker = NewMarker();
        var owner = Guid.NewGuid();
        var rows = Enumerable.Range(0, 5).Select(i => AccountRow(marker, "owned " + i)).ToList();
        rows.ForEach(r => r["ownerid"] = owner);
        rows.Add(AccountRow(marker, "someone else's"));
        await InsertAsync([.. rows]);
        var unit = Guid.NewGuid();

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.Equal(5, await transaction.UpdateWhereAsync(AccountTable, "ownerid", owner, new StoredRow { ["owningbusinessunit"] = unit }));
            await transaction.CommitAsync();
        }

        var after = await QueryAsync(AccountQuery(marker, "msdyn_name", "owningbusinessunit", "versionnumber"));
        var moved = after.Rows.Where(r => unit.Equals(r["owningbusinessunit"])).ToList();
        Assert.Equal(5, moved.Count);
        Assert.Equal(5, moved.Select(r => r["versionnumber"]).Distinct().Count());
        Assert.Null(Assert.Single(after.Rows, r => (string?)r["msdyn_name"] == "someone else's")["owningbusinessunit"]);
        await using var next = await Store.BeginAsync(TransactionMode.Write);
        Assert.True(await next.NextVersionAsync() > moved.Max(r => (long)r["versionnumber"]!), "the moved rows' versions were taken from the sequence");
    }
}

public sealed class UpdateManySqliteTests(SqliteStoreFixture fixture) : UpdateManyTests(fixture), IClassFixture<SqliteStoreFixture>;

public sealed class UpdateManyPostgresTests(PostgresStoreFixture fixture) : UpdateManyTests(fixture), IClassFixture<PostgresStoreFixture>;
