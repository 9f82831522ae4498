using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Storage.Sqlite;
using ChannelAccounts.Sdk.Query;
using ChannelAccounts.Testing;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ChannelAccounts.Engine.Tests.Storage;

/// <summary>
/// SQLite connections stay open with their prepared statements: a statement is parsed once per connection, not
/// once per message, and still reads the data of its own transaction's snapshot.
/// </summary>
public sealed class SqlitePreparedStatementTests(SqliteStoreFixture fixture) : StoreTestBase(fixture), IClassFixture<SqliteStoreFixture>
{
    [Fact]
    public async Task A_query_of_a_later_transaction_reuses_the_prepared_statement_and_sees_newly_committed_rows()
    {
        var marker = NewMarker();
        var first = AccountRow(marker, "First");
        await InsertAsync(first);

        // SQLite asks the authorizer about every column a statement reads while it compiles the statement, never
        // while it runs it: the count of msdyn_name reads is the count of compilations.
        var compilations = 0;
        SqliteConnection? connection = null;
        for (var i = 0; i < 3; i++)
        {
            var second = AccountRow(marker, "Second " + i);
            await InsertAsync(second);
            await using var transaction = await Store.BeginAsync(TransactionMode.Read);
            var current = (SqliteConnection)((SqlStoreTransaction)transaction).Connection;
            if (connection is null)
            {
                connection = current;
                raw.sqlite3_set_authorizer(connection.Handle, (strdelegate_authorizer)((_, action, table, column, _, _) =>
                {
                    if (action == raw.SQLITE_READ && table == Account && column == "msdyn_name")
                    {
                        compilations++;
                    }
                    return raw.SQLITE_OK;
                }), null);
            }

            // Sequential messages take the same idle connection.
            Assert.Same(connection, current);
            Assert.Equal("First", (await transaction.QueryAsync(ById((Guid)first[AccountId]!), Context)).Rows.Single()["msdyn_name"]);
            Assert.Equal("Second " + i, (await transaction.QueryAsync(ById((Guid)second[AccountId]!), Context)).Rows.Single()["msdyn_name"]);
        }

        raw.sqlite3_set_authorizer(connection!.Handle, (strdelegate_authorizer?)null, null);
        // Six runs in three transactions with new parameter values (id and LIMIT), one compilation.
        Assert.Equal(1, compilations);
    }

    [Theory]
    [InlineData(ConditionOperator.BeginsWith, new[] { "Acme 1", "acme 2", "ACME 3" }, new[] { "Acme 1 North|ACME 10", "acme 2 South", "Acme 3 West" })]
    [InlineData(ConditionOperator.Contains, new[] { "north", "SOUTH", "10" }, new[] { "Acme 1 North", "acme 2 South", "ACME 10" })]
    [InlineData(ConditionOperator.EndsWith, new[] { "north", "South", "west" }, new[] { "Acme 1 North", "acme 2 South", "Acme 3 West" })]
    [InlineData(ConditionOperator.DoesNotBeginWith, new[] { "Acme 1", "acme", "x" }, new[] { "acme 2 South|Acme 3 West|Acme1|Acmf", "Acmf", "Acme 1 North|ACME 10|acme 2 South|Acme 3 West|Acme1|Acmf" })]
    public async Task A_pattern_condition_with_a_new_value_in_each_message_is_compiled_once(ConditionOperator op, string[] values, string[] expected)
    {
        var marker = NewMarker();
        // "Acme1" and "Acmf" sit just outside the ranges the prefixes "Acme 1" and "Acme" seek.
        await InsertAsync(new[] { "Acme 1 North", "ACME 10", "acme 2 South", "Acme 3 West", "Acme1", "Acmf" }
            .Select(name => AccountRow(marker, name)).ToArray());

        var compilations = 0;
        SqliteConnection? connection = null;
        for (var i = 0; i < values.Length; i++)
        {
            var query = AccountQuery(marker, "msdyn_name");
            query.Criteria.AddCondition("msdyn_name", op, values[i]);
            query.AddOrder("msdyn_name", OrderType.Ascending);
            await using var transaction = await Store.BeginAsync(TransactionMode.Read);
            var current = (SqliteConnection)((SqlStoreTransaction)transaction).Connection;
            if (connection is null)
            {
                connection = current;
                raw.sqlite3_set_authorizer(connection.Handle, (strdelegate_authorizer)((_, action, table, column, _, _) =>
                {
                    if (action == raw.SQLITE_READ && table == Account && column == Marker)
                    {
                        compilations++;
                    }
                    return raw.SQLITE_OK;
                }), null);
            }

            Assert.Same(connection, current);
            var names = (await transaction.QueryAsync(query, Context)).Rows.Select(r => (string)r["msdyn_name"]!);
            Assert.Equal(expected[i], string.Join('|', names.Order(StringComparer.OrdinalIgnoreCase)));
        }

        raw.sqlite3_set_authorizer(connection!.Handle, (strdelegate_authorizer?)null, null);
        // A bare `LIKE @p` made SQLite plan with the bound pattern and compile the statement again at every new value.
        Assert.Equal(1, compilations);
    }

    [Theory]
    [InlineData("Acme 1", new[] { "ACME 10", "Acme 1 North" })]
    [InlineData("zü", new[] { "ZÜRICH", "Zürich", "zürich Nord" })]
    [InlineData("T@", new[] { "T@x", "t@Y" })]
    public async Task A_begins_with_condition_seeks_the_name_index_and_reads_only_its_matches(string prefix, string[] expected)
    {
        var marker = NewMarker();
        // "T_x", "T[x", "T^X" and "T`x" sort between "t@" and "ta" once folded: outside what "T@" begins.
        await InsertAsync(new[] { "Acme 1 North", "ACME 10", "Acme1", "Zürich", "zürich Nord", "Zurich", "Zz", "ZÜRICH", "T@x", "t@Y", "T_x", "T[x", "T^X", "T`x" }
            .Select(name => AccountRow(marker, name)).ToArray());
        var query = AccountQuery(marker, "msdyn_name");
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, prefix);
        query.AddOrder("msdyn_name", OrderType.Ascending);

        // SQLite folds ASCII letters only, so "zü" seeks what begins with "z" and a regular expression ignoring case
        // takes "ZÜRICH" too, as Dataverse's collation and PostgreSQL's lower() do.
        Assert.Equal(expected, (await QueryAsync(query)).Rows.Select(r => (string)r["msdyn_name"]!).Order(StringComparer.Ordinal));

        var compiled = ((SqlDataStore)Store).Compiler.Compile(AccountQueryByName(prefix), Context);
        await using var transaction = await Store.BeginAsync(TransactionMode.Read);
        await using var explain = ((SqlStoreTransaction)transaction).Connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + compiled.Segments[0];
        foreach (var parameter in compiled.Parameters)
        {
            SqliteDialect.Instance.AddParameter(explain, parameter.Value, parameter.Type);
        }
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }
        Assert.Contains(plan, step => step.StartsWith("SEARCH t USING", StringComparison.Ordinal) &&
                                      step.EndsWith($"INDEX ix_{Account}_msdyn_name (msdyn_name>? AND msdyn_name<?)", StringComparison.Ordinal));
    }

    private static QueryExpression AccountQueryByName(string prefix)
    {
        var query = new QueryExpression(Account) { ColumnSet = new Sdk.ColumnSet("msdyn_name") };
        query.Criteria.AddCondition("msdyn_name", ConditionOperator.BeginsWith, prefix);
        query.AddOrder("msdyn_name", OrderType.Ascending);
        return query;
    }

    [Fact]
    public async Task Read_transactions_begin_and_commit_with_statements_prepared_once_per_reader()
    {
        var id = Guid.NewGuid();
        await InsertAsync(AccountRow(NewMarker(), "Read", id));
        var compiled = new List<string>();
        SqliteConnection? connection = null;
        for (var i = 0; i < 3; i++)
        {
            await using var transaction = await Store.BeginAsync(TransactionMode.Read);
            if (connection is null)
            {
                connection = (SqliteConnection)((SqlStoreTransaction)transaction).Connection;
                // Asked while BEGIN, COMMIT or ROLLBACK is compiled, never while it runs.
                raw.sqlite3_set_authorizer(connection.Handle, (strdelegate_authorizer)((_, action, verb, _, _, _) =>
                {
                    if (action == raw.SQLITE_TRANSACTION)
                    {
                        compiled.Add(verb);
                    }
                    return raw.SQLITE_OK;
                }), null);
            }

            Assert.Equal("Read", (await transaction.QueryAsync(ById(id), Context)).Rows.Single()["msdyn_name"]);
            await transaction.CommitAsync();
        }

        raw.sqlite3_set_authorizer(connection!.Handle, (strdelegate_authorizer?)null, null);
        // Setting an authorizer expires the connection's statements, so each is compiled once more, then never again
        // (Microsoft.Data.Sqlite's own transactions compiled BEGIN and COMMIT in every transaction: five here).
        Assert.Equal(["BEGIN", "COMMIT"], compiled.Order());
    }

    [Fact]
    public async Task A_read_transaction_keeps_its_snapshot_while_a_write_commits()
    {
        var id = Guid.NewGuid();
        await InsertAsync(AccountRow(NewMarker(), "Before", id));

        await using var read = await Store.BeginAsync(TransactionMode.Read);
        Assert.Equal("Before", (await read.QueryAsync(ById(id), Context)).Rows.Single()["msdyn_name"]);
        await using (var write = await Store.BeginAsync(TransactionMode.Write))
        {
            await write.UpdateAsync(AccountTable, id, new StoredRow { ["msdyn_name"] = "After" });
            await write.CommitAsync();
        }

        Assert.Equal("Before", (await read.QueryAsync(ById(id), Context)).Rows.Single()["msdyn_name"]);
        await read.CommitAsync();
        await using var later = await Store.BeginAsync(TransactionMode.Read);
        Assert.Equal("After", (await later.QueryAsync(ById(id), Context)).Rows.Single()["msdyn_name"]);
    }

    [Fact]
    public async Task Writes_share_one_connection_and_a_rolled_back_write_leaves_it_usable()
    {
        var marker = NewMarker();
        object writer;
        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            writer = ((SqlStoreTransaction)transaction).Connection;
            await transaction.InsertAsync(AccountTable, AccountRow(marker, "Rolled back"));
        }

        await using (var transaction = await Store.BeginAsync(TransactionMode.Write))
        {
            Assert.Same(writer, ((SqlStoreTransaction)transaction).Connection);
            await transaction.InsertAsync(AccountTable, AccountRow(marker, "Kept"));
            await transaction.CommitAsync();
        }

        var names = (await QueryAsync(AccountQuery(marker, "msdyn_name"))).Rows.Select(r => r["msdyn_name"]).ToList();
        Assert.Equal(["Kept"], names);
    }

    [Fact]
    public async Task Committed_writes_are_copied_into_the_database_file_long_before_the_wal_reaches_its_automatic_checkpoint()
    {
        var marker = NewMarker();
        for (var i = 0; i < 250; i++)
        {
            await InsertAsync(AccountRow(marker, "Row " + i));
        }
        var store = (Engine.Storage.Sqlite.SqliteDataStore)Store;

        Assert.InRange(await CountInDatabaseFileAsync(store, marker), 100, 250);
    }

    /// <summary>
    /// Counts the marker's rows in the database file alone: immutable=1 ignores the WAL, so it sees what checkpoints
    /// copied. It also takes no locks, so a read that overlaps a checkpoint's page writes can see a torn file
    /// (SQLITE_CORRUPT); that read is repeated once the checkpointer is idle again, a few times at most.
    /// </summary>
    private static async Task<int> CountInDatabaseFileAsync(Engine.Storage.Sqlite.SqliteDataStore store, string marker)
    {
        for (var attempt = 1; ; attempt++)
        {
            await store.CheckpointIdleAsync();
            try
            {
                await using var fileOnly = new SqliteConnection($"Data Source=file:{store.Path}?immutable=1;Pooling=False");
                await fileOnly.OpenAsync();
                await using var count = fileOnly.CreateCommand();
                count.CommandText = "SELECT count(*) FROM msdyn_ocwhatsappchannelaccount WHERE msdyn_provideraccountid = $marker";
                count.Parameters.AddWithValue("$marker", marker);
                return Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == raw.SQLITE_CORRUPT && attempt < 3)
            {
                await Task.Delay(50);
            }
        }
    }
}
