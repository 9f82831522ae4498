using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Storage.Schema;

/// <summary>
/// The database schema the catalog asks for, as DDL for one dialect: a table per entity, a column per stored
/// attribute, and the keyset indexes queries use. Every statement is idempotent (IF NOT EXISTS).
/// </summary>
internal sealed partial class SchemaDefinition(MetadataCatalog catalog, SqlDialect dialect)
{
    /// <summary>Raised when the shape of the generated schema changes (not the catalog), so old databases migrate.</summary>
    public const int FormatVersion = 1;

    public MetadataCatalog Catalog => catalog;

    /// <summary>The internal tables: applied schema versions, settings, the DataProtection key ring, the security stamp, the version counter (SQLite).</summary>
    public IEnumerable<string> InternalTables()
    {
        yield return "CREATE TABLE IF NOT EXISTS ca_schema_version (version integer PRIMARY KEY, fingerprint text NOT NULL, appliedon text NOT NULL)";
        yield return "CREATE TABLE IF NOT EXISTS ca_settings (key text PRIMARY KEY, value text NOT NULL)";
        yield return "CREATE TABLE IF NOT EXISTS ca_dataprotectionkeys (friendlyname text PRIMARY KEY, xml text NOT NULL)";
        // The security stamp: changed by every write to a security table (SecurityStamp), read by every message.
        yield return "CREATE TABLE IF NOT EXISTS ca_security_stamp (id integer PRIMARY KEY CHECK (id = 1), value bigint NOT NULL)";
        yield return "INSERT INTO ca_security_stamp (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING";
        if (dialect.Provider == "postgres")
        {
            yield return "CREATE SEQUENCE IF NOT EXISTS ca_versionnumber";
        }
        else
        {
            yield return "CREATE TABLE IF NOT EXISTS ca_versionnumber (id integer PRIMARY KEY CHECK (id = 1), value integer NOT NULL)";
            yield return "INSERT INTO ca_versionnumber (id, value) VALUES (1, 0) ON CONFLICT (id) DO NOTHING";
        }
    }

    public string CreateTable(EntityDefinition entity)
    {
        var sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").Append(Name(entity.LogicalName)).Append(" (");
        foreach (var attribute in entity.StoredAttributes)
        {
            sql.Append(ColumnDefinition(attribute)).Append(", ");
        }
        return sql.Append("PRIMARY KEY (").Append(Name(entity.PrimaryIdAttribute)).Append("))").ToString();
    }

    public string AddColumn(EntityDefinition entity, AttributeDefinition attribute) =>
        $"ALTER TABLE {Name(entity.LogicalName)} ADD COLUMN {ColumnDefinition(attribute)}";

    /// <summary>
    /// One index per column that queries filter or sort by, each ending in the primary id (the keyset tiebreaker).
    /// NULLS FIRST matches the ascending order Dataverse uses, so both directions scan the index.
    /// </summary>
    public IEnumerable<string> Indexes(EntityDefinition entity)
    {
        var id = Name(entity.PrimaryIdAttribute);
        foreach (var attribute in IndexedAttributes(entity))
        {
            var column = dialect.Comparable(Name(attribute.LogicalName), attribute.AttributeType);
            var nulls = dialect.Provider == "postgres" ? " NULLS FIRST" : "";
            yield return $"CREATE INDEX IF NOT EXISTS ix_{entity.LogicalName}_{attribute.LogicalName} " +
                         $"ON {Name(entity.LogicalName)} ({column}{nulls}, {id})";
            if (dialect.Provider == "postgres" && attribute.LogicalName == entity.PrimaryNameAttribute && column != Name(attribute.LogicalName))
            {
                // The folded name is an expression with statistics of its own. With the default target PostgreSQL
                // estimated 60 rows for a prefix range holding 1,029 of a million names, and so read and sorted every
                // match instead of the first page in index order (1.25 against 0.09 ms).
                yield return $"ALTER INDEX ix_{entity.LogicalName}_{attribute.LogicalName} ALTER COLUMN 1 SET STATISTICS {NameStatisticsTarget}";
            }
        }

        // One unique index per alternate key: the database itself refuses a second row, which INSERT .. ON CONFLICT relies on.
        foreach (var key in entity.Keys)
        {
            yield return $"CREATE UNIQUE INDEX IF NOT EXISTS ux_{entity.LogicalName}_{Name(key.LogicalName)} " +
                         $"ON {Name(entity.LogicalName)} ({string.Join(", ", key.KeyAttributes.Select(Name))})";
        }

        foreach (var columns in entity.Indexes)
        {
            var nulls = dialect.Provider == "postgres" ? " NULLS FIRST" : "";
            var parts = columns.Select(c => dialect.Comparable(Name(c), entity.Attribute(c).AttributeType) + nulls);
            yield return $"CREATE INDEX IF NOT EXISTS ix_{entity.LogicalName}_{string.Join("_", columns.Select(Name))} " +
                         $"ON {Name(entity.LogicalName)} ({string.Join(", ", parts)}, {id})";
        }

        // Row security reads a page per owner and per business unit (RowSecurityCompiler.Branches): each seeks its
        // owners or units and reads them in primary-name order, so a caller who sees 1 % of the rows reads about a page.
        if (entity.IsUserOwned && entity.TryGetAttribute(entity.PrimaryNameAttribute, out var name) && name.IsStored)
        {
            var nameColumn = dialect.Comparable(Name(name.LogicalName), name.AttributeType);
            var nulls = dialect.Provider == "postgres" ? " NULLS FIRST" : "";
            foreach (var security in RowSecurityColumns)
            {
                yield return $"CREATE INDEX IF NOT EXISTS ix_{entity.LogicalName}_{security}_{name.LogicalName} " +
                             $"ON {Name(entity.LogicalName)} ({security}, {nameColumn}{nulls}, {id})";
            }
        }
    }

    /// <summary>
    /// Indexes an older catalog made and the current one does not, dropped on upgrade (an index holds no data of its
    /// own). A unique one left in place would go on refusing rows the current keys allow: ca_whatsappmessage was
    /// unique by MessageSid alone before it was unique per account.
    /// </summary>
    private static readonly string[] RetiredIndexes = ["ux_ca_whatsappmessage_ca_messagesid_key"];

    public static IEnumerable<string> DropRetiredIndexes() => RetiredIndexes.Select(index => $"DROP INDEX IF EXISTS {index}");

    /// <summary>The columns RowSecurity filters a user-owned table by.</summary>
    private static readonly string[] RowSecurityColumns = ["ownerid", "owningbusinessunit"];

    public static IEnumerable<AttributeDefinition> IndexedAttributes(EntityDefinition entity) =>
        entity.StoredAttributes.Where(a =>
            a.AttributeType is AttributeTypeCode.Owner or AttributeTypeCode.State
            || a.LogicalName is "owningbusinessunit" or "businessunitid" or "createdon" or "modifiedon"
            || (a.LogicalName == entity.PrimaryNameAttribute && a.LogicalName != entity.PrimaryIdAttribute)
            || IsRelationshipKey(entity, a));

    /// <summary>Intersect and sharing tables (ownership "None") are read by the ids they relate: index every one.</summary>
    private static bool IsRelationshipKey(EntityDefinition entity, AttributeDefinition attribute) =>
        entity.OwnershipType == "None" && attribute.LogicalName != entity.PrimaryIdAttribute
        && attribute.AttributeType is AttributeTypeCode.Lookup or AttributeTypeCode.Uniqueidentifier;

    /// <summary>PostgreSQL's statistics target for the folded primary name (its default is 100).</summary>
    public const int NameStatisticsTarget = 1000;

    /// <summary>A digest of everything the DDL depends on; equal digests mean nothing to migrate.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder().Append(FormatVersion).Append('|').Append(dialect.Provider);
        foreach (var drop in DropRetiredIndexes())
        {
            text.Append('|').Append(drop);
        }

        foreach (var entity in catalog.Entities.OrderBy(e => e.LogicalName, StringComparer.Ordinal))
        {
            text.Append('|').Append(CreateTable(entity));
            foreach (var index in Indexes(entity))
            {
                text.Append('|').Append(index);
            }
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private string ColumnDefinition(AttributeDefinition attribute)
    {
        var suffix = SqlDialect.IsText(attribute.AttributeType) ? dialect.TextColumnSuffix : "";
        return Name(attribute.LogicalName) + " " + dialect.ColumnType(attribute) + suffix;
    }

    /// <summary>Logical names go into SQL unquoted, so they must be plain identifiers.</summary>
    public static string Name(string logicalName) =>
        IdentifierPattern().IsMatch(logicalName)
            ? logicalName
            : throw new ArgumentException($"'{logicalName}' is not a valid logical name for a table or column.");

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex IdentifierPattern();
}
