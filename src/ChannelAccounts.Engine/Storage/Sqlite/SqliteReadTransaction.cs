namespace ChannelAccounts.Engine.Storage.Sqlite;

/// <summary>
/// A read transaction on a pooled reader whose BEGIN, COMMIT and ROLLBACK are commands prepared with the connection.
/// Microsoft.Data.Sqlite's SqliteTransaction parses "BEGIN" and "COMMIT" anew for every transaction, which was a
/// measurable part of a Retrieve. A deferred BEGIN, as before: the snapshot is taken by the first SELECT.
/// </summary>
internal sealed class SqliteReadTransaction : ISharedTransactionEnd
{
    private readonly PreparedConnection _reader;
    private bool _open;

    private SqliteReadTransaction(PreparedConnection reader) => _reader = reader;

    /// <summary>Begins on the reader; on failure the reader is closed, not given back.</summary>
    public static SqliteReadTransaction Begin(PreparedConnection reader)
    {
        var transaction = new SqliteReadTransaction(reader);
        try
        {
            reader.Reusable("BEGIN", null).ExecuteNonQuery();
            transaction._open = true;
            return transaction;
        }
        catch
        {
            reader.Broken = true;
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        _reader.Reusable("COMMIT", null).ExecuteNonQuery();
        _open = false;
        return ValueTask.CompletedTask;
    }

    /// <summary>Ends an uncommitted transaction and gives the reader back (closes it if the rollback failed).</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_open)
            {
                _open = false;
                _reader.Reusable("ROLLBACK", null).ExecuteNonQuery();
            }
        }
        catch
        {
            _reader.Broken = true; // its state is unknown, so it is not reused
            throw;
        }
        finally
        {
            await _reader.DisposeAsync();
        }
    }
}
