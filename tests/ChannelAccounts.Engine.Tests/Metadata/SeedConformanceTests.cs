using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Tests.Metadata;

/// <summary>
/// Our msdyn_ocwhatsappchannelaccount definition (JSON, via MetadataCatalog.Default) against the seed specification
/// (../shared/seed/msdyn_ocwhatsappchannelaccount.md), read independently of the JSON.
/// </summary>
public sealed class SeedConformanceTests
{
    private const string SeedFile = "msdyn_ocwhatsappchannelaccount.md";
    private const int SeedColumnCount = 35;
    private const int SeedTablePropertyCount = 11;

    private static readonly Lazy<SeedDocument> LazySeed = new(() => SeedDocument.Load(SeedFile));

    private static SeedDocument Seed => LazySeed.Value;

    private static EntityDefinition Table => MetadataCatalog.Default[MetadataCatalog.WhatsAppAccount];

    public static TheoryData<string> SeedColumns() => new(Seed.Columns.Select(c => c.SchemaName));

    public static TheoryData<string> SeedChoiceColumns() => new(Seed.Choices.Keys);

    [Fact]
    public void Seed_document_is_found_and_read_completely()
    {
        Assert.Equal("msdyn_ocwhatsappchannelaccount Entity Reference", Seed.Title);
        Assert.Equal(SeedColumnCount, Seed.Columns.Count);
        Assert.Equal(SeedTablePropertyCount, Seed.TableProperties.Count);
        Assert.Equal(["statecode", "statuscode"], Seed.Choices.Keys.Order(StringComparer.Ordinal));

        var listed = Seed.WritableColumns.Concat(Seed.ReadOnlyColumns).Order(StringComparer.Ordinal);
        Assert.Equal(Seed.Columns.Select(c => c.SchemaName).Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void Table_properties_match_the_seed()
    {
        AssertNoDifferences("the table", SeedPropertyMap.Differences(Seed.TableProperties, SeedPropertyMap.Table, Table));
    }

    [Fact]
    public void Table_description_matches_the_seed()
    {
        Assert.NotNull(Seed.TableDescription);
        Assert.Equal(Seed.TableDescription, Table.Description);
    }

    [Fact]
    public void Definition_has_exactly_the_seeds_columns()
    {
        var seed = Seed.Columns.Select(c => c.SchemaName).ToHashSet(StringComparer.Ordinal);
        var ours = Table.Attributes.Select(a => a.SchemaName).ToList();

        Assert.Empty(seed.Except(ours));
        Assert.Empty(ours.Except(seed));
        Assert.Equal(SeedColumnCount, ours.Count);
    }

    [Theory]
    [MemberData(nameof(SeedColumns))]
    public void Column_matches_the_seed(string schemaName)
    {
        var seed = Seed.Column(schemaName);
        var ours = FindColumn(schemaName);

        var differences = SeedPropertyMap.Differences(seed.Properties, SeedPropertyMap.Column, ours);
        if (!string.Equals(seed.AddedBy, ours.AddedBy, StringComparison.Ordinal))
        {
            differences.Add($"AddedBy: the seed says '{seed.AddedBy ?? "(none)"}', our definition has '{ours.AddedBy ?? "(none)"}'");
        }

        AssertNoDifferences(schemaName, differences);
    }

    [Theory]
    [MemberData(nameof(SeedChoiceColumns))]
    public void Choices_of_column_match_the_seed(string schemaName)
    {
        var seedRows = Seed.Choices[schemaName];
        var options = FindColumn(schemaName).Options;
        Assert.Equal(seedRows.Count, options.Count);

        var differences = new List<string>();
        foreach (var row in seedRows)
        {
            var option = options.SingleOrDefault(o => SeedPropertyMap.Option["Value"](o) == row["Value"]);
            if (option is null)
            {
                differences.Add($"Value {row["Value"]}: in the seed, not in our definition");
                continue;
            }

            differences.AddRange(SeedPropertyMap.Differences(row, SeedPropertyMap.Option, option)
                .Select(d => $"Value {row["Value"]}: {d}"));
        }

        AssertNoDifferences($"{schemaName} choices", differences);
    }

    [Fact]
    public void Every_writable_column_of_the_seed_is_valid_for_create_or_update()
    {
        Assert.NotEmpty(Seed.WritableColumns);
        Assert.DoesNotContain(Seed.WritableColumns, name => FindColumn(name) is var a && !(a.IsValidForCreate || a.IsValidForUpdate));
    }

    [Fact]
    public void Every_read_only_column_of_the_seed_is_valid_for_neither_create_nor_update()
    {
        Assert.NotEmpty(Seed.ReadOnlyColumns);
        Assert.DoesNotContain(Seed.ReadOnlyColumns, name => FindColumn(name) is var a && (a.IsValidForCreate || a.IsValidForUpdate));
    }

    private static AttributeDefinition FindColumn(string schemaName) =>
        Table.Attributes.SingleOrDefault(a => a.SchemaName == schemaName)
        ?? throw new Xunit.Sdk.XunitException($"Our definition has no column with SchemaName '{schemaName}' (the seed has one).");

    private static void AssertNoDifferences(string what, List<string> differences)
    {
        if (differences.Count > 0)
        {
            Assert.Fail($"{what} differs from the seed:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", differences));
        }
    }
}
