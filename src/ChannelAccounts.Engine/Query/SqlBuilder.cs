using System.Text;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Engine.Storage.Schema;

namespace ChannelAccounts.Engine.Query;

/// <summary>A column as the compiler uses it: its SQL (a table column or a joined name) and its definition.</summary>
internal readonly record struct ColumnExpression(string Sql, AttributeDefinition Attribute, bool IsStored)
{
    public AttributeTypeCode Type => Attribute.AttributeType;
}

/// <summary>A table in the FROM clause: the main table ("t") or a linked one ("l0", "l1"...).</summary>
internal sealed record TableSource(EntityDefinition Entity, string SqlAlias);

/// <summary>
/// The state of one compilation: parameters in order and the joins that name companions need. User-supplied
/// aliases and values never reach the SQL text; only logical names from the catalog and generated aliases do.
/// </summary>
internal sealed class SqlBuilder(SqlDialect dialect, MetadataCatalog catalog)
{
    private readonly Dictionary<string, string> _nameJoins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _aliases = new(StringComparer.Ordinal);

    public SqlDialect Dialect => dialect;

    public MetadataCatalog Catalog => catalog;

    public List<QueryParameter> Parameters { get; } = new();

    /// <summary>LEFT JOINs added for name companions (createdbyname...), in the order first needed.</summary>
    public StringBuilder NameJoins { get; private set; } = new();

    /// <summary>A table alias not used before in this statement: prefix, then a number counted per prefix (l0, l1...).</summary>
    public string NewAlias(string prefix)
    {
        var number = _aliases.GetValueOrDefault(prefix);
        _aliases[prefix] = number + 1;
        return prefix + number;
    }

    /// <summary>Builds a subquery whose name companions join in its own FROM (<paramref name="scoped"/>), not the statement's.</summary>
    public string WithNameJoins(StringBuilder scoped, Func<string> build)
    {
        var outer = NameJoins;
        NameJoins = scoped;
        try
        {
            return build();
        }
        finally
        {
            NameJoins = outer;
        }
    }

    public string Parameter(object? value, AttributeTypeCode type)
    {
        Parameters.Add(new QueryParameter(value, type));
        return dialect.Parameter(Parameters.Count - 1);
    }

    /// <summary>A parameter in the form the column compares with: case-folded for text.</summary>
    public string ComparableParameter(object? value, AttributeTypeCode type) =>
        dialect.Comparable(Parameter(value, type), type);

    public ColumnExpression Column(TableSource table, string logicalName)
    {
        if (!table.Entity.TryGetAttribute(logicalName, out var attribute))
        {
            throw DataverseFault.AttributeNotFound(table.Entity.LogicalName, logicalName);
        }
        return attribute.IsStored
            ? new ColumnExpression(table.SqlAlias + "." + SchemaDefinition.Name(attribute.LogicalName), attribute, true)
            : new ColumnExpression(NameCompanion(table, attribute), attribute, false);
    }

    /// <summary>
    /// The column an order names, as Dataverse sorts it: a lookup by the primary name of the record it points to (the
    /// name its formatted value shows, joined as for createdbyname), every other column by its value.
    /// </summary>
    public ColumnExpression OrderColumn(TableSource table, string logicalName)
    {
        var column = Column(table, logicalName);
        if (!column.Attribute.IsLookup || column.Attribute.Targets.Count == 0)
        {
            return column;
        }
        // owninguser and owningteam have no name companion in the table: the same join serves without one.
        var name = table.Entity.NameOf(logicalName) ?? new AttributeDefinition
        {
            LogicalName = logicalName + "name",
            SchemaName = column.Attribute.SchemaName + "Name",
            AttributeType = AttributeTypeCode.String,
            AttributeOf = logicalName,
        };
        return new ColumnExpression(NameCompanion(table, name), name, false);
    }

    /// <summary>
    /// A lookup's name (createdbyname, owneridyominame) read from the primary name of the row it points to. A
    /// lookup with several targets (ownerid: systemuser or team) joins each, restricted by its type column.
    /// </summary>
    private string NameCompanion(TableSource table, AttributeDefinition companion)
    {
        var lookup = table.Entity.Attribute(companion.AttributeOf!);
        var typeColumn = lookup.Targets.Count > 1
            ? table.Entity.Attributes.FirstOrDefault(a => a.AttributeOf == lookup.LogicalName && a.AttributeType == AttributeTypeCode.EntityName)
            : null;
        var yomi = companion.LogicalName.EndsWith("yominame", StringComparison.Ordinal);
        var names = new List<string>(lookup.Targets.Count);
        foreach (var targetName in lookup.Targets)
        {
            if (!catalog.TryGetByLogicalName(targetName, out var target))
            {
                continue;
            }
            var alias = JoinTarget(table, lookup, target, typeColumn);
            var nameColumn = yomi && target.TryGetAttribute("yomi" + target.PrimaryNameAttribute, out var yomiName)
                ? yomiName.LogicalName
                : target.PrimaryNameAttribute;
            names.Add(alias + "." + SchemaDefinition.Name(nameColumn));
        }
        return names.Count switch
        {
            0 => "NULL",
            1 => names[0],
            _ => dialect.ComputedText("coalesce(" + string.Join(", ", names) + ")"),
        };
    }

    private string JoinTarget(TableSource table, AttributeDefinition lookup, EntityDefinition target, AttributeDefinition? typeColumn)
    {
        var key = table.SqlAlias + "." + lookup.LogicalName + ">" + target.LogicalName;
        if (_nameJoins.TryGetValue(key, out var alias))
        {
            return alias;
        }
        alias = "n" + _nameJoins.Count;
        _nameJoins.Add(key, alias);
        NameJoins.Append(" LEFT JOIN ").Append(SchemaDefinition.Name(target.LogicalName)).Append(' ').Append(alias)
            .Append(" ON ").Append(alias).Append('.').Append(SchemaDefinition.Name(target.PrimaryIdAttribute))
            .Append(" = ").Append(table.SqlAlias).Append('.').Append(SchemaDefinition.Name(lookup.LogicalName));
        if (typeColumn is not null)
        {
            // A literal: the object type code comes from the catalog, not from the caller.
            NameJoins.Append(" AND ").Append(table.SqlAlias).Append('.').Append(SchemaDefinition.Name(typeColumn.LogicalName))
                .Append(" = ").Append(target.ObjectTypeCode);
        }
        return alias;
    }
}

internal readonly record struct QueryParameter(object? Value, AttributeTypeCode Type);
