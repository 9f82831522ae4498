using System.Globalization;

using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Tests.Metadata;

/// <summary>
/// For each property name the seed uses, how to print our definition's value the way the seed prints it.
/// A seed property missing here is reported as a difference, so a new seed property cannot go unchecked.
/// </summary>
internal static class SeedPropertyMap
{
    public static readonly IReadOnlyDictionary<string, Func<EntityDefinition, string?>> Table =
        new Dictionary<string, Func<EntityDefinition, string?>>(StringComparer.Ordinal)
        {
            ["LogicalName"] = e => e.LogicalName,
            ["SchemaName"] = e => e.SchemaName,
            ["EntitySetName"] = e => e.EntitySetName,
            ["LogicalCollectionName"] = e => e.LogicalCollectionName,
            ["CollectionSchemaName"] = e => e.CollectionSchemaName,
            ["DisplayName"] = e => e.DisplayName,
            ["DisplayCollectionName"] = e => e.DisplayCollectionName,
            ["PrimaryIdAttribute"] = e => e.PrimaryIdAttribute,
            ["PrimaryNameAttribute"] = e => e.PrimaryNameAttribute,
            ["OwnershipType"] = e => e.OwnershipType,
            ["IsBPFEntity"] = e => Bool(e.IsBPFEntity),
        };

    public static readonly IReadOnlyDictionary<string, Func<AttributeDefinition, string?>> Column =
        new Dictionary<string, Func<AttributeDefinition, string?>>(StringComparer.Ordinal)
        {
            ["LogicalName"] = a => a.LogicalName,
            ["Type"] = a => a.AttributeType.ToString(),
            ["Description"] = a => a.Description ?? "",
            ["DisplayName"] = a => a.DisplayName,
            ["Format"] = a => a.Format,
            ["FormatName"] = a => a.FormatName,
            ["DateTimeBehavior"] = a => a.DateTimeBehavior,
            ["IsLocalizable"] = a => Bool(a.IsLocalizable),
            ["IsValidForForm"] = a => Bool(a.IsValidForForm),
            ["IsValidForRead"] = a => Bool(a.IsValidForRead),
            ["IsValidForCreate"] = a => Bool(a.IsValidForCreate),
            ["IsValidForUpdate"] = a => Bool(a.IsValidForUpdate),
            ["MaxLength"] = a => Number(a.MaxLength),
            ["MinValue"] = a => Number(a.MinValue),
            ["MaxValue"] = a => Number(a.MaxValue),
            ["RequiredLevel"] = a => a.RequiredLevel.ToString(),
            ["Targets"] = a => string.Join(",", a.Targets),
        };

    public static readonly IReadOnlyDictionary<string, Func<OptionDefinition, string?>> Option =
        new Dictionary<string, Func<OptionDefinition, string?>>(StringComparer.Ordinal)
        {
            ["Value"] = o => Number(o.Value),
            ["Label"] = o => o.Label,
            ["DefaultStatus"] = o => Number(o.DefaultStatus),
            ["InvariantName"] = o => o.InvariantName,
            ["State"] = o => Number(o.State),
        };

    /// <summary>Each way <paramref name="subject"/> differs from the seed's properties, as a readable line.</summary>
    public static List<string> Differences<T>(
        IReadOnlyDictionary<string, string> seed,
        IReadOnlyDictionary<string, Func<T, string?>> map,
        T subject)
    {
        var differences = new List<string>();
        foreach (var (property, expected) in seed)
        {
            if (!map.TryGetValue(property, out var read))
            {
                differences.Add($"{property}: the seed gives '{expected}' but this test does not know the property");
                continue;
            }

            var actual = read(subject);
            if (!string.Equals(expected, actual, StringComparison.Ordinal))
            {
                differences.Add($"{property}: the seed says '{expected}', our definition has '{actual ?? "(none)"}'");
            }
        }

        return differences;
    }

    private static string? Bool(bool? value) => value switch
    {
        true => "True",
        false => "False",
        null => null,
    };

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
