using System.Data.Common;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Server.Hosting;
using ChannelAccounts.Server.WebApi.Endpoints;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ChannelAccounts.Bench.Scenarios;

/// <summary>
/// The SQL the server runs for a collection GET, captured from the engine's own compiler (SqlQueryCompiler, reached
/// through InternalsVisibleTo("ChannelAccounts.Bench")): the query string goes through the server's ODataServices
/// translation and the same page-size and versionnumber steps CollectionEndpoint applies, then Compile. Executed
/// directly with ADO.NET on the same database, reading every column of every row.
/// </summary>
public sealed class RawSqlQuery : IAsyncDisposable
{
    private readonly CompiledQuery _compiled;
    private readonly SqlDialect _dialect;
    private readonly DbConnection _connection;
    private readonly List<DbCommand> _prepared = [];

    private RawSqlQuery(CompiledQuery compiled, SqlDialect dialect, DbConnection connection)
    {
        _compiled = compiled;
        _dialect = dialect;
        _connection = connection;
    }

    /// <summary>The page's statements as the server runs them (usually one; two when the order column has NULLs to cross).</summary>
    public string Sql => string.Join(";\n", _compiled.Segments);

    public IEnumerable<object?> ParameterValues => _compiled.Parameters.Select(p => p.Value);

    public static async Task<RawSqlQuery> CompileAsync(IDataStore store, string connectionString, string queryString,
        Guid userId, Guid businessUnitId, RowSecurity? rowSecurity = null)
    {
        var sqlStore = (SqlDataStore)store;
        var entity = store.Catalog[MetadataCatalog.WhatsAppAccount];
        var translated = new ODataServices(store.Catalog).Translate(entity, new QueryCollection(QueryHelpers.ParseQuery(queryString)));
        var query = translated.Query;
        query.PageInfo.Count = query.TopCount is { } top ? Math.Min(top, QueryContext.MaxPageSize) : QueryContext.MaxPageSize;
        VersionColumn.Require(query.ColumnSet);
        var compiled = sqlStore.Compiler.Compile(query, new QueryContext(userId, businessUnitId, DateTime.UtcNow) { RowSecurity = rowSecurity });

        return new RawSqlQuery(compiled, sqlStore.Dialect, await OpenAsync(store, connectionString));
    }

    /// <summary>An ADO.NET connection to the store's database, set up as the store sets up its own.</summary>
    public static async Task<DbConnection> OpenAsync(IDataStore store, string connectionString)
    {
        DbConnection connection = store.Provider == "sqlite" ? new SqliteConnection(connectionString) : new NpgsqlConnection(
            // The store's own auto-preparation settings, so both sides run a prepared statement.
            new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 256, AutoPrepareMinUsages = 2 }.ToString());
        await connection.OpenAsync();
        if (connection is SqliteConnection)
        {
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous = NORMAL";
            await pragmas.ExecuteNonQueryAsync();
        }
        return connection;
    }

    /// <summary>
    /// Runs the statement once and returns the number of rows read. Prepared, as the server's statements are: one
    /// command per segment kept for every run (SQLite keeps its compiled statement; Npgsql auto-prepares it).
    /// </summary>
    public async Task<int> ExecuteAsync()
    {
        // Like the server: each segment in turn until the page (plus the one look-ahead row) is full.
        var rows = 0;
        var wanted = (_compiled.PageSize ?? _compiled.TopCount ?? int.MaxValue) + 1;
        for (var i = 0; i < _compiled.Segments.Count; i++)
        {
            if (i == _prepared.Count)
            {
                _prepared.Add(Command(_compiled.Segments[i]));
            }
            await using var reader = await _prepared[i].ExecuteReaderAsync();
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync())
            {
                reader.GetValues(values);
                rows++;
            }

            if (rows >= wanted)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>
    /// The query plans: EXPLAIN QUERY PLAN (SQLite); on PostgreSQL EXPLAIN (ANALYZE, BUFFERS) twice, as a custom plan
    /// (the values known to the planner, what a statement's first executions get) and as the generic plan a
    /// prepared statement may switch to after five executions on one connection.
    /// </summary>
    public async Task<string> ExplainAsync()
    {
        if (_connection is SqliteConnection)
        {
            return await ReadPlanAsync(Command("EXPLAIN QUERY PLAN " + _compiled.Segments[0]), column: 3);
        }
        var values = string.Join(", ", _compiled.Parameters.Select(p => p.Value switch
        {
            string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
            Guid id => "'" + id + "'",
            null => "NULL",
            var other => other.ToString(),
        }));
        var custom = await ReadPlanAsync(Command("EXPLAIN (ANALYZE, BUFFERS) " + _compiled.Segments[0]), column: 0);
        await ExecuteTextAsync($"PREPARE bench_plan AS {_compiled.Segments[0]}");
        await ExecuteTextAsync("SET plan_cache_mode = force_generic_plan");
        var generic = await ReadPlanAsync(Text($"EXPLAIN (ANALYZE, BUFFERS) EXECUTE bench_plan({values})"), column: 0);
        await ExecuteTextAsync("RESET plan_cache_mode; DEALLOCATE bench_plan");
        return "-- custom plan (parameter values known to the planner)\n" + custom +
               "\n\n-- generic plan (plan_cache_mode = force_generic_plan)\n" + generic;
    }

    private static async Task<string> ReadPlanAsync(DbCommand command, int column)
    {
        await using (command)
        {
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(column));
            }
            return string.Join('\n', lines);
        }
    }

    private async Task ExecuteTextAsync(string sql)
    {
        await using var command = Text(sql);
        await command.ExecuteNonQueryAsync();
    }

    private DbCommand Text(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private DbCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in _compiled.Parameters)
        {
            _dialect.AddParameter(command, parameter.Value, parameter.Type);
        }
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _prepared)
        {
            await command.DisposeAsync();
        }
        await _connection.DisposeAsync();
    }
}
