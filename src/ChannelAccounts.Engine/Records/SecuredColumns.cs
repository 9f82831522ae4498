using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Query;
using ChannelAccounts.Engine.Security.Secrets;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Records;

/// <summary>
/// Secured columns (IsSecured) are encrypted at rest: protected where the storage value is made, revealed after
/// column security has nulled them for callers who may not read them, and never filtered or sorted on (the database
/// holds only ciphertext, and Dataverse refuses such queries too).
/// </summary>
public static class SecuredColumns
{
    public static object? Protect(AttributeDefinition attribute, object? stored, ISecretProtector secrets) =>
        attribute.IsSecured && stored is string plain ? secrets.Protect(plain) : stored;

    /// <summary>Decrypts the secured columns still present in a record (call after ColumnSecurity.Apply).</summary>
    public static void Reveal(EntityDefinition entity, Entity record, ISecretProtector secrets)
    {
        foreach (var attribute in entity.SecuredAttributes)
        {
            if (record.Attributes.TryGetValue(attribute.LogicalName, out var value) && value is string stored)
            {
                record[attribute.LogicalName] = secrets.Unprotect(stored);
            }
        }
    }

    /// <summary>
    /// Secured columns of linked tables ($expand, link-entity) get the same treatment as the main table's: null to a
    /// caller who may not read secured columns, decrypted for one who may. Never ciphertext.
    /// </summary>
    public static void RevealLinked(Entity record, MetadataCatalog catalog, bool readsSecuredColumns, ISecretProtector secrets)
    {
        foreach (var (key, value) in record.Attributes.ToList())
        {
            if (value is AliasedValue aliased && catalog.TryGetByLogicalName(aliased.EntityLogicalName, out var linked)
                && linked.TryGetAttribute(aliased.AttributeLogicalName, out var attribute) && attribute.IsSecured)
            {
                var plain = readsSecuredColumns && aliased.Value is string stored ? secrets.Unprotect(stored) : null;
                record[key] = new AliasedValue(aliased.EntityLogicalName, aliased.AttributeLogicalName, plain);
                record.FormattedValues.Remove(key);
            }
        }
    }

    /// <summary>
    /// A condition or an order on a secured column is an InvalidArgument fault naming it: of the query's own table, and
    /// of a linked table too (a condition naming the link's alias, or in its link criteria), since the stored value is
    /// ciphertext and a test of it would both leak whether a secret is set and answer wrongly.
    /// </summary>
    public static void DemandNotQueried(EntityDefinition entity, QueryExpression query, MetadataCatalog catalog)
    {
        var linked = new Dictionary<string, EntityDefinition>(StringComparer.Ordinal);
        foreach (var (link, parent) in LinkTree.WalkEvery(query.LinkEntities, query.Criteria))
        {
            if (catalog.TryGetByLogicalName(link.LinkToEntityName, out var table))
            {
                // A join on a secured column matches on ciphertext: as telling as a not-null test of it. The compiler
                // joins from the query's table or the link it is nested in, whatever LinkFromEntityName says.
                Demand(table, link.LinkToAttributeName, "join on");
                var from = parent is null ? entity : linked.GetValueOrDefault(LinkTree.AliasOf(parent));
                if (from is not null)
                {
                    Demand(from, link.LinkFromAttributeName, "join on");
                }

                linked[LinkTree.AliasOf(link)] = table;
                Demand(table, entity, link.LinkCriteria, linked);
                foreach (var order in link.Orders)
                {
                    Demand(table, order.AttributeName, "sort by");
                }
            }
        }

        Demand(entity, entity, query.Criteria, linked);
        foreach (var order in query.Orders)
        {
            if ((order.EntityName is null || order.EntityName == entity.LogicalName ? entity : linked.GetValueOrDefault(order.EntityName)) is { } ordered)
            {
                Demand(ordered, order.AttributeName, "sort by");
            }
        }
    }

    /// <param name="entity">The table a condition without a name tests (the query's own, or a link's in its link criteria).</param>
    /// <param name="main">The query's own table, which a condition may also name by its logical name.</param>
    private static void Demand(EntityDefinition entity, EntityDefinition main, FilterExpression filter, IReadOnlyDictionary<string, EntityDefinition> linked)
    {
        // Resolved as SqlQueryCompiler resolves it: no name is the filter's own table, the main table's name the main table,
        // anything else a link's alias; null for an alias the query does not have (the compiler refuses it).
        EntityDefinition? TableNamed(string? name) =>
            name is null ? entity : name == main.LogicalName ? main : linked.GetValueOrDefault(name);

        foreach (var condition in filter.Conditions)
        {
            if (TableNamed(condition.EntityName) is not { } table)
            {
                continue;
            }

            Demand(table, condition.AttributeName, "filter on");
            if (condition.CompareColumns)
            {
                foreach (var other in condition.Values.OfType<string>())
                {
                    // "alias.column" compares with a linked table's column (FetchXML valueof).
                    var dot = other.IndexOf('.');
                    if ((dot > 0 ? TableNamed(other[..dot]) : table) is { } otherTable)
                    {
                        Demand(otherTable, dot > 0 ? other[(dot + 1)..] : other, "filter on");
                    }
                }
            }
        }

        foreach (var child in filter.Filters)
        {
            Demand(entity, main, child, linked);
        }
    }

    /// <summary>A group or aggregate of a secured column is refused like a condition on it: it would be computed on ciphertext.</summary>
    public static void DemandNotAggregated(EntityDefinition entity, IEnumerable<string> columns)
    {
        foreach (var column in columns)
        {
            Demand(entity, column, "group or aggregate");
        }
    }

    private static void Demand(EntityDefinition entity, string attributeName, string use)
    {
        if (entity.TryGetAttribute(attributeName, out var attribute) && attribute.IsSecured)
        {
            throw DataverseFault.InvalidArgument(
                $"The attribute '{attribute.LogicalName}' of '{entity.LogicalName}' is secured (column security, encrypted at rest); queries cannot {use} it.");
        }
    }
}
