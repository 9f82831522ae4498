using System.Data;
using System.Data.Common;

namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// An open connection and the commands prepared on it. A pooled one (SQLite) outlives its transactions and keeps
/// its commands, so each statement is parsed and planned once per connection rather than once per message; parsing
/// cost more than running a by-id SELECT. An owned one (PostgreSQL, migrations: Npgsql prepares on the server) is
/// closed with its transaction.
/// </summary>
internal sealed class PreparedConnection(DbConnection connection, Action<PreparedConnection>? giveBack = null) : IAsyncDisposable
{
    /// <summary>Distinct statement texts kept per connection; past it the oldest shapes are simply prepared again.</summary>
    private const int MaxCommands = 64;

    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbConnection Connection => connection;

    /// <summary>Set when the connection's state is unknown (a rollback failed): it is closed instead of given back.</summary>
    public bool Broken { get; set; }

    /// <summary>The command for this SQL, on the given transaction, with no parameters bound yet.</summary>
    public DbCommand Reusable(string sql, DbTransaction? transaction)
    {
        if (_commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
        }
        else
        {
            if (_commands.Count >= MaxCommands)
            {
                DisposeCommands();
            }
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = transaction;
        return command;
    }

    /// <summary>Gives a healthy pooled connection back; closes any other.</summary>
    public async ValueTask DisposeAsync()
    {
        if (giveBack is not null && !Broken && connection.State == ConnectionState.Open)
        {
            giveBack(this);
            return;
        }

        await CloseAsync();
    }

    /// <summary>Closes the connection and its commands for good.</summary>
    public async ValueTask CloseAsync()
    {
        DisposeCommands();
        await connection.DisposeAsync();
    }

    private void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
        _commands.Clear();
    }
}
