using System.Diagnostics;
using Npgsql;

namespace ChannelAccounts.Bench;

/// <summary>
/// A throwaway database for one run: a temporary SQLite file, or a fresh PostgreSQL database ca_bench_&lt;random&gt;
/// on the server scripts/start-postgres.sh starts. Disposing deletes the file or drops the database.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string? _sqliteFolder;
    private readonly string? _postgresAdmin;
    private readonly string? _postgresName;

    private BenchDatabase(string provider, string spec, string? sqliteFolder, string? postgresAdmin, string? postgresName)
    {
        Provider = provider;
        Spec = spec;
        _sqliteFolder = sqliteFolder;
        _postgresAdmin = postgresAdmin;
        _postgresName = postgresName;
    }

    public string Provider { get; }

    /// <summary>The server's --db value: sqlite:PATH or postgres:CONNECTION-STRING.</summary>
    public string Spec { get; }

    /// <summary>The ADO.NET connection string of the same database, for the loader and the raw-SQL ceiling.</summary>
    public string ConnectionString => Provider == "sqlite"
        ? "Data Source=" + Spec[(Spec.IndexOf(':') + 1)..]
        : Spec[(Spec.IndexOf(':') + 1)..];

    /// <summary>A new database; with keep, disposing leaves it in place and prints where it is.</summary>
    public static async Task<BenchDatabase> CreateAsync(string provider, bool keep = false)
    {
        var database = await CreateNewAsync(provider);
        database._keep = keep;
        return database;
    }

    private bool _keep;

    private static async Task<BenchDatabase> CreateNewAsync(string provider)
    {
        if (provider == "sqlite")
        {
            var folder = Directory.CreateTempSubdirectory("ca_bench_").FullName;
            return new BenchDatabase(provider, "sqlite:" + Path.Combine(folder, "bench.db"), folder, null, null);
        }

        var admin = StartPostgres();
        var name = "ca_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Loopback, so no TLS between the server and PostgreSQL (Npgsql's default, Prefer, would negotiate it with the
        // ssl = on of Debian's cluster and encrypt every round trip), as a deployment on one host would have it.
        var spec = "postgres:" + new NpgsqlConnectionStringBuilder(admin) { Database = name, MaxPoolSize = 200, SslMode = SslMode.Disable };
        return new BenchDatabase(provider, spec, null, admin, name);
    }

    /// <summary>
    /// PostgreSQL: writes out what earlier phases changed (CHECKPOINT), so a checkpoint of their writes does not
    /// land inside the next phase's measurements and slow the server and its raw-SQL baseline alike. SQLite: nothing.
    /// </summary>
    public async Task SettleAsync()
    {
        if (_postgresAdmin is null)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection);
        await checkpoint.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep)
        {
            Console.WriteLine($"Kept the {Provider} database: {Spec}");
            return;
        }
        if (_sqliteFolder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteFolder, recursive: true);
        }
        if (_postgresAdmin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresAdmin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>Runs scripts/start-postgres.sh (idempotent) and returns the connection string it prints.</summary>
    private static string StartPostgres()
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "start-postgres.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0 || output.Length == 0)
        {
            throw new InvalidOperationException($"scripts/start-postgres.sh failed with exit code {process.ExitCode}.");
        }
        return output.Split('\n')[^1];
    }

    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(Environment.CurrentDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ChannelAccounts.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository (ChannelAccounts.sln not found).");
    }
}
