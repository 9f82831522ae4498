using System.Collections.Concurrent;
using System.Data.Common;
using ChannelAccounts.Bench.Http;
using ChannelAccounts.Bench.Loading;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// The database alone, beside the server's Retrieve and Create: the statement the store runs for each, straight through
/// ADO.NET in this process at the benchmark's concurrency (no HTTP, engine, token or JSON). A server that runs the
/// statement once per request cannot serve more requests than this, whatever it does around it.
/// </summary>
public static class RawRecordStatements
{
    /// <summary>
    /// The Retrieve's SELECT as the engine's compiler writes it (the columns the Web API asks for plus versionnumber,
    /// TOP 1 by id), prepared once per connection, for a random id of the loaded rows; one connection per caller.
    /// </summary>
    public static async Task<LoadDriver.Throughput> RetrieveAsync(BenchContext bench)
    {
        var store = (SqlDataStore)bench.Store;
        var entity = store.Catalog[MetadataCatalog.WhatsAppAccount];
        var marker = AccountRows.IdOf(0);
        var query = new QueryExpression(entity.LogicalName) { ColumnSet = new ColumnSet("msdyn_name", "statecode", "ownerid", "versionnumber"), TopCount = 1 };
        query.Criteria.AddCondition(entity.PrimaryIdAttribute, ConditionOperator.Equal, marker);
        var compiled = store.Compiler.Compile(query, new QueryContext(bench.Organization.AdminUserId, bench.Organization.RootBusinessUnitId, DateTime.UtcNow));

        var commands = new ConcurrentBag<DbCommand>();
        for (var i = 0; i < bench.Options.Concurrency; i++)
        {
            var command = (await RawSqlQuery.OpenAsync(store, bench.Database.ConnectionString)).CreateCommand();
            command.CommandText = compiled.Segments[0];
            commands.Add(command);
        }

        try
        {
            return await LoadDriver.RunAsync(async () =>
            {
                commands.TryTake(out var command);
                var id = AccountRows.IdOf(Random.Shared.Next(bench.Options.Rows));
                command!.Parameters.Clear();
                foreach (var parameter in compiled.Parameters)
                {
                    store.Dialect.AddParameter(command, parameter.Value is Guid g && g == marker ? id : parameter.Value, parameter.Type);
                }

                var found = false;
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    var values = new object[reader.FieldCount];
                    while (await reader.ReadAsync())
                    {
                        reader.GetValues(values);
                        found = true;
                    }
                }
                commands.Add(command);
                return found;
            }, bench.Options.Concurrency, bench.WarmUp, bench.Duration);
        }
        finally
        {
            await DisposeAsync(commands);
        }
    }

    /// <summary>
    /// The Create's INSERT of every column the engine writes, one row per transaction with its version number, on
    /// PostgreSQL: one connection per caller, each statement its own transaction with the version drawn inside it
    /// (nextval, as the store does). SQLite writes through one connection at a time, so there it is
    /// <see cref="CreateGroupedAsync"/> with groups of one.
    /// </summary>
    public static async Task<LoadDriver.Throughput> CreateAsync(BenchContext bench)
    {
        var store = (SqlDataStore)bench.Store;
        if (store.Provider == "sqlite")
        {
            return await CreateGroupedAsync(bench, 1);
        }

        var entity = store.Catalog[MetadataCatalog.WhatsAppAccount];
        var columns = Columns(bench, entity, numbered: false);
        var commands = new ConcurrentBag<DbCommand>();
        for (var i = 0; i < bench.Options.Concurrency; i++)
        {
            var command = (await RawSqlQuery.OpenAsync(store, bench.Database.ConnectionString)).CreateCommand();
            command.CommandText = store.Statements.InsertNumbered(entity, columns);
            commands.Add(command);
        }

        var created = 0;
        try
        {
            return await LoadDriver.RunAsync(async () =>
            {
                commands.TryTake(out var command);
                var row = BulkScenarios.Row(entity, bench.Organization, $"Raw create {Interlocked.Increment(ref created)}", DateTime.UtcNow, null);
                Bind(command!, store.Dialect, columns, [row]);
                var inserted = await command!.ExecuteScalarAsync() is not null;
                commands.Add(command);
                return inserted;
            }, bench.Options.Concurrency, bench.WarmUp, bench.Duration);
        }
        finally
        {
            await DisposeAsync(commands);
        }
    }

    /// <summary>
    /// The callers' rows gathered: at this concurrency at most that many rows are waiting at once, split as C
    /// connections × R rows per transaction (1×16, 2×8, 4×4 at 16 callers; SQLite has one writer, so 1×16 only).
    /// Returns the best rate in rows/s and which splits were tried, the best first.
    /// </summary>
    public static async Task<(double RowsPerSecond, string Splits)> CreateGroupedBestAsync(BenchContext bench)
    {
        var callers = bench.Options.Concurrency;
        var connections = bench.Store.Provider == "sqlite" ? [1] : new[] { 1, 2, 4 }.Where(c => c <= callers);
        var measured = new List<(double Rate, string Split)>();
        foreach (var count in connections)
        {
            var rows = callers / count;
            measured.Add(((await CreateGroupedAsync(bench, rows, count)).RequestsPerSecond, $"{count}×{rows}"));
        }

        var ordered = measured.OrderByDescending(m => m.Rate).ToList();
        return (ordered[0].Rate, string.Join(", ", ordered.Select(m => $"{m.Split} ({m.Rate:N0})")));
    }

    /// <summary>
    /// The same rows, <paramref name="rowsPerTransaction"/> in one multi-row INSERT and transaction (BEGIN, the version
    /// numbers, the INSERT, COMMIT), on <paramref name="connections"/> connections at once. Returns rows per second.
    /// </summary>
    public static async Task<LoadDriver.Throughput> CreateGroupedAsync(BenchContext bench, int rowsPerTransaction, int connections = 1)
    {
        var store = (SqlDataStore)bench.Store;
        var entity = store.Catalog[MetadataCatalog.WhatsAppAccount];
        var columns = Columns(bench, entity, numbered: true);
        var writers = new ConcurrentBag<(DbCommand Insert, DbCommand Versions)>();
        for (var i = 0; i < connections; i++)
        {
            var connection = await RawSqlQuery.OpenAsync(store, bench.Database.ConnectionString);
            var insert = connection.CreateCommand();
            insert.CommandText = rowsPerTransaction == 1 ? store.Statements.Insert(entity, columns) : store.Statements.InsertMany(entity, columns, rowsPerTransaction);
            var versions = connection.CreateCommand();
            versions.CommandText = store.Dialect.NextVersionsSql;
            writers.Add((insert, versions));
        }

        using var turn = new SemaphoreSlim(connections);
        var created = 0;
        try
        {
            var result = await LoadDriver.RunAsync(async () =>
            {
                await turn.WaitAsync();
                writers.TryTake(out var writer);
                try
                {
                    var (insert, versions) = writer;
                    await using var transaction = await insert.Connection!.BeginTransactionAsync();
                    versions.Transaction = transaction;
                    versions.Parameters.Clear();
                    store.Dialect.AddParameter(versions, rowsPerTransaction, AttributeTypeCode.Integer);
                    var numbers = new List<long>(rowsPerTransaction);
                    await using (var reader = await versions.ExecuteReaderAsync())
                    {
                        while (await reader.ReadAsync())
                        {
                            numbers.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }

                    var rows = Enumerable.Range(0, rowsPerTransaction).Select(i => BulkScenarios.Row(entity, bench.Organization,
                        $"Raw create {Interlocked.Increment(ref created)}", DateTime.UtcNow, numbers.Count == 1 ? numbers[0] - i : numbers[i])).ToList();
                    insert.Transaction = transaction;
                    Bind(insert, store.Dialect, columns, rows);
                    var inserted = await insert.ExecuteNonQueryAsync() == rowsPerTransaction;
                    await transaction.CommitAsync();
                    return inserted;
                }
                finally
                {
                    writers.Add(writer);
                    turn.Release();
                }
            }, bench.Options.Concurrency, bench.WarmUp, bench.Duration);
            return result with { RequestsPerSecond = result.RequestsPerSecond * rowsPerTransaction };
        }
        finally
        {
            foreach (var (insert, versions) in writers)
            {
                var connection = insert.Connection;
                await insert.DisposeAsync();
                await versions.DisposeAsync();
                await connection!.DisposeAsync();
            }
        }
    }

    /// <summary>The columns of the engine's row; versionnumber among them unless the statement draws it itself.</summary>
    private static AttributeDefinition[] Columns(BenchContext bench, EntityDefinition entity, bool numbered) =>
        BulkScenarios.Row(entity, bench.Organization, "", DateTime.UtcNow, numbered ? 0 : null).Keys.Select(entity.Attribute).ToArray();

    private static void Bind(DbCommand command, SqlDialect dialect, AttributeDefinition[] columns, IEnumerable<StoredRow> rows)
    {
        command.Parameters.Clear();
        foreach (var row in rows)
        {
            foreach (var column in columns)
            {
                dialect.AddParameter(command, row[column.LogicalName], column.AttributeType);
            }
        }
    }

    private static async Task DisposeAsync(IEnumerable<DbCommand> commands)
    {
        foreach (var command in commands)
        {
            var connection = command.Connection;
            await command.DisposeAsync();
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
