using ChannelAccounts.Sdk;

namespace ChannelAccounts.Engine.Query.FetchXml;

/// <summary>
/// Column aliases of a FetchXML query's attributes (&lt;attribute name='createdby' alias='whocreated' /&gt;), its own or
/// a link-entity's: Dataverse returns such a column under its alias, as an AliasedValue naming the column
/// (fetchxml/select-columns, "Column aliases"); the column itself only when it was also asked for without an alias.
/// A linked column is keyed "linkalias.column" before its alias applies, and is an AliasedValue already.
/// </summary>
public sealed class FetchColumnAliases(IReadOnlyList<(string Alias, string Attribute)> aliases, IReadOnlySet<string> plain)
{
    public IReadOnlyList<(string Alias, string Attribute)> Aliases => aliases;

    /// <summary>Moves the aliased columns of a record read by the query under their aliases.</summary>
    /// <param name="primaryId">The table's primary id, which a record keeps whatever its aliases.</param>
    public void Apply(Entity record, string primaryId)
    {
        foreach (var (alias, attribute) in aliases)
        {
            if (record.Attributes.TryGetValue(attribute, out var value))
            {
                record[alias] = value as AliasedValue ?? new AliasedValue(record.LogicalName, attribute, value);
                if (record.FormattedValues.TryGetValue(attribute, out var formatted))
                {
                    record.FormattedValues[alias] = formatted;
                }
            }
        }

        foreach (var (_, attribute) in aliases)
        {
            if (!plain.Contains(attribute) && attribute != primaryId)
            {
                record.Attributes.Remove(attribute);
                record.FormattedValues.Remove(attribute);
            }
        }
    }
}
