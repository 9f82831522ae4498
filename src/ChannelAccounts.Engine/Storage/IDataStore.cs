using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Storage;

/// <summary>
/// One database holding every table of the catalog (SQLite or PostgreSQL). Thread-safe: one instance per
/// process and database. All state, key material included, lives here, so any number of servers can share it.
/// </summary>
public interface IDataStore : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres".</summary>
    string Provider { get; }

    MetadataCatalog Catalog { get; }

    /// <summary>Creates or upgrades the schema from the catalog. Idempotent; safe when several servers start at once.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a transaction. Every message runs in exactly one; disposing without commit rolls back.</summary>
    ValueTask<IStoreTransaction> BeginAsync(TransactionMode mode, CancellationToken cancellationToken = default);

    /// <summary>
    /// True when the database ended a transaction to resolve its conflict with another (a deadlock, a serialization
    /// failure): nothing of it was kept, and running the same work again is expected to succeed.
    /// </summary>
    bool IsTransientConflict(Exception exception);
}

public enum TransactionMode
{
    /// <summary>Only reads: may run beside other readers and a writer (a snapshot where the database offers one).</summary>
    Read,

    /// <summary>Reads and writes, serialised against other writers where the database needs it (SQLite).</summary>
    Write,
}

/// <summary>
/// The operations of one transaction. Rows are dictionaries keyed by column logical name holding storage values:
/// Guid (ids, lookups), string, int (Integer, State, Status, Picklist, and owneridtype as an object type code),
/// long (BigInt), bool, DateTime (Kind Utc, whole seconds). Linked-table columns are keyed "alias.column".
/// </summary>
public interface IStoreTransaction : IAsyncDisposable
{
    /// <summary>The next value of the database-wide, ever-rising row version (Dataverse's versionnumber).</summary>
    ValueTask<long> NextVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reserves count version numbers in one round trip (a bulk message's records each get their own), ascending.
    /// </summary>
    ValueTask<long[]> NextVersionsAsync(int count, CancellationToken cancellationToken = default);

    /// <summary>The stored columns named (all stored columns when null) of one record, or null when there is none.</summary>
    ValueTask<StoredRow?> RetrieveAsync(EntityDefinition entity, Guid id, IReadOnlyCollection<string>? columns,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Like RetrieveAsync, and holds the record against other writers until the transaction ends, so a check of its
    /// version and the write that follows (with the next version number) cannot interleave with another writer's.
    /// </summary>
    ValueTask<StoredRow?> RetrieveForUpdateAsync(EntityDefinition entity, Guid id, IReadOnlyCollection<string>? columns,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Like RetrieveAsync, and keeps the record from being deleted, or read for update, by another writer until the
    /// transaction ends, while other writers holding the same lock go on: for a principal that a record, share or
    /// membership is about to point at. A writer that deletes or moves the principal reads it for update first, so
    /// either it waits for this transaction and then sees the new reference, or this read waits for it and then
    /// finds the principal gone (null) or moved (its new columns).
    /// </summary>
    ValueTask<StoredRow?> RetrieveForShareAsync(EntityDefinition entity, Guid id, IReadOnlyCollection<string>? columns,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// True where writers run one at a time (SQLite): what a write transaction read cannot change before it commits,
    /// so row locks are no-ops and a value read at its start is still current.
    /// </summary>
    bool SerializesWriters { get; }

    /// <summary>
    /// The rows of those ids that exist, keyed by id, read and locked as RetrieveForUpdateAsync does: one statement
    /// per 1,000 ids, not one per record.
    /// </summary>
    ValueTask<IReadOnlyDictionary<Guid, StoredRow>> RetrieveManyForUpdateAsync(EntityDefinition entity, IReadOnlyList<Guid> ids,
        IReadOnlyCollection<string> columns, CancellationToken cancellationToken = default);

    /// <summary>Inserts one record. A duplicate primary key throws the DuplicateRecord fault.</summary>
    ValueTask InsertAsync(EntityDefinition entity, StoredRow row, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts one record numbered with the next version (set in the row's versionnumber and returned), drawn in the
    /// INSERT itself where the database can (PostgreSQL: one round trip instead of two), else as NextVersionAsync does.
    /// A duplicate primary key throws the DuplicateRecord fault, as InsertAsync does.
    /// </summary>
    ValueTask<long> InsertNumberedAsync(EntityDefinition entity, StoredRow row, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts one record unless it would repeat its primary key or an alternate key (INSERT .. ON CONFLICT DO NOTHING,
    /// so concurrent inserts of the same key store one row and none fails); false when a row was there already.
    /// </summary>
    ValueTask<bool> TryInsertAsync(EntityDefinition entity, StoredRow row, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts many records with multi-row INSERT statements: rows of the same column set share statements, each as
    /// many rows as the database's parameter limit allows (SQLite 32,766, PostgreSQL 65,535). A primary key that exists
    /// already, or repeats within the rows, throws the DuplicateRecord fault; the caller's transaction then rolls back.
    /// </summary>
    ValueTask InsertManyAsync(EntityDefinition entity, IReadOnlyList<StoredRow> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates many records set-based: each row holds a record's primary id and the columns to set; rows setting the
    /// same columns share statements (as many rows each as InsertManyAsync). Returns how many records were updated.
    /// </summary>
    ValueTask<int> UpdateManyAsync(EntityDefinition entity, IReadOnlyList<StoredRow> rows, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the given columns, and a versionnumber of its own, on every record whose column equals the value (the
    /// records of an owner that moves to another business unit) with one UPDATE; returns how many records changed.
    /// </summary>
    ValueTask<int> UpdateWhereAsync(EntityDefinition entity, string column, object value, StoredRow changes,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets the given columns of one record and numbers it with the next version (set in the changes' versionnumber),
    /// drawn in the UPDATE itself where the database can, as InsertNumberedAsync does; false when the record does not exist.
    /// </summary>
    ValueTask<bool> UpdateNumberedAsync(EntityDefinition entity, Guid id, StoredRow changes, CancellationToken cancellationToken = default);

    /// <summary>Sets the given columns of one record; false when the record does not exist.</summary>
    ValueTask<bool> UpdateAsync(EntityDefinition entity, Guid id, StoredRow changes, CancellationToken cancellationToken = default);

    /// <summary>Deletes one record; false when it does not exist.</summary>
    ValueTask<bool> DeleteAsync(EntityDefinition entity, Guid id, CancellationToken cancellationToken = default);

    /// <summary>Deletes every row whose column equals the value (a record's shares, a user's memberships); returns how many.</summary>
    ValueTask<int> DeleteWhereAsync(EntityDefinition entity, string column, object value, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and returns one page (keyset paging through PagingInfo.PagingCookie).</summary>
    ValueTask<QueryPage> QueryAsync(QueryExpression query, QueryContext context, CancellationToken cancellationToken = default);

    /// <summary>Runs an aggregate query (FetchXML aggregate, OData $apply): one row per group, keyed by the aliases.</summary>
    ValueTask<IReadOnlyList<StoredRow>> AggregateAsync(Query.Aggregates.AggregateQuery query, QueryContext context,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Holds the security data (roles, privileges, memberships) against other writers until this transaction ends, as
    /// its first write to a security table would; for a check-then-insert that must not race another server.
    /// </summary>
    ValueTask LockSecurityDataAsync(CancellationToken cancellationToken = default);

    /// <summary>A server-wide setting (signing keys and the like), or null.</summary>
    ValueTask<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores the value unless the key already has one; returns the value that is stored now.</summary>
    ValueTask<string> GetOrAddSettingAsync(string key, string value, CancellationToken cancellationToken = default);

    /// <summary>Every element of the DataProtection key ring (ca_dataprotectionkeys), in name order.</summary>
    ValueTask<IReadOnlyList<KeyRingElement>> GetKeyRingAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a key ring element unless one with that name exists already (servers racing add it once).</summary>
    ValueTask AddKeyRingElementAsync(KeyRingElement element, CancellationToken cancellationToken = default);

    /// <summary>
    /// The database's security stamp as this transaction first saw it, or null once this transaction has written to
    /// a security table (its uncommitted view must neither use nor fill a cache). Writes to systemuser, team,
    /// businessunit, role, roleprivileges, systemuserroles, teamroles and teammembership change the stamp.
    /// </summary>
    ValueTask<long?> SecurityStampAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Lets a transaction run on the stamp its engine saw last instead of reading it first, when the store can read
    /// the stamp in the same round trip as the transaction's next statement (PostgreSQL batches both). That statement,
    /// SecurityStampAsync and CommitAsync confirm the assumption and throw SecurityStampChangedException when the
    /// stamp has moved, so nothing decided on a stale stamp reaches the caller or is committed. Only for a transaction
    /// that runs one message, which the engine runs again on that exception. False when the store cannot defer it.
    /// </summary>
    bool TryAssumeSecurityStamp(long stamp);

    /// <summary>
    /// Lets a write take a principal's business unit as known (the caller's, from the engine's cache) instead of
    /// reading it with RetrieveForShareAsync first: the same locked read of the principal's row goes in the same round
    /// trip as the transaction's next statement (or alone before commit) and throws BusinessUnitMovedException when
    /// the unit differs, so no record is committed with an owning business unit other than its owner's at commit.
    /// Only for a transaction that runs one message, which the engine runs again on that exception. False where the
    /// store cannot defer the read, or needs no lock (SQLite's writers wait for each other).
    /// </summary>
    bool TryAssumeBusinessUnit(EntityDefinition principal, Guid id, Guid businessUnitId);

    /// <summary>The stamp confirmed or assumed so far, without reading it; null when neither (or after a security write).</summary>
    long? KnownSecurityStamp { get; }

    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}

/// <summary>One XML element of the DataProtection key ring, as stored in ca_dataprotectionkeys.</summary>
public sealed record KeyRingElement(string FriendlyName, string Xml);

/// <summary>A row as stored: column logical name to storage value.</summary>
public sealed class StoredRow : Dictionary<string, object?>
{
    public StoredRow() : base(StringComparer.Ordinal) { }

    public StoredRow(int capacity) : base(capacity, StringComparer.Ordinal) { }
}
