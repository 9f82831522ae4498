using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>
/// Several messages in one database transaction, all or nothing: what a $batch change set and ExecuteTransaction
/// need. Messages run one after another (never concurrently); after a failed message the scope only rolls back.
/// On SQLite the scope holds the single writer slot until it is committed or disposed.
/// </summary>
public sealed class EngineTransactionScope : IAsyncDisposable
{
    private readonly OrganizationEngine _engine;
    private readonly IStoreTransaction _transaction;
    private bool _failed;
    private bool _completed;

    internal EngineTransactionScope(OrganizationEngine engine, IStoreTransaction transaction)
    {
        _engine = engine;
        _transaction = transaction;
    }

    /// <summary>
    /// True when the database ended the scope's transaction to resolve a conflict with another one, or an upsert of it
    /// lost its insert to a concurrent create: nothing of it was kept, and running all its messages again in a new
    /// scope is expected to succeed (see ConflictRetry).
    /// </summary>
    public bool LostConflict { get; private set; }

    /// <summary>Runs one message as the caller on the scope's transaction; a fault leaves the scope able only to roll back.</summary>
    public async Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CallerIdentity caller, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_failed)
        {
            throw new InvalidOperationException("An earlier message of this transaction scope failed; the scope can only be rolled back.");
        }

        try
        {
            return await _engine.ExecuteInAsync(_transaction, request, caller, cancellationToken);
        }
        catch (Exception e) when (_engine.IsTransientConflict(e))
        {
            throw Lost();
        }
        catch (Exception e) when (ConflictRetry.IsLostUpsertRace(request, e))
        {
            _failed = true;
            LostConflict = true; // run again, the upsert finds the record and updates it; a last try's fault stays the duplicate
            throw;
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    /// <summary>The scope ended by the database to resolve a conflict: the fault that says so, the scope marked for a rerun.</summary>
    private OrganizationServiceFaultException Lost()
    {
        _failed = true;
        LostConflict = true;
        return DataverseFault.TransientConflict();
    }

    /// <summary>Makes every message of the scope durable at once.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_failed)
        {
            throw new InvalidOperationException("A message of this transaction scope failed; it cannot be committed.");
        }

        try
        {
            await _transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (_engine.IsTransientConflict(e))
        {
            throw Lost();
        }

        _completed = true;
    }

    /// <summary>Rolls back whatever was not committed and releases the transaction.</summary>
    public async ValueTask DisposeAsync()
    {
        _completed = true;
        await _transaction.DisposeAsync();
    }
}
