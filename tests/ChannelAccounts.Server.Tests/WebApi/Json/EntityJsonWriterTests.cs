using System.Text;
using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Server.WebApi.Json;
using Microsoft.Extensions.Primitives;

namespace ChannelAccounts.Server.Tests.WebApi.Json;

/// <summary>One writer writes a whole page: each record with its own columns, in the table's column order.</summary>
public sealed class EntityJsonWriterTests
{
    private static readonly EntityDefinition Accounts = MetadataCatalog.Default[MetadataCatalog.WhatsAppAccount];

    private static string[] PropertiesOf(params Entity[] records)
    {
        var writer = new EntityJsonWriter(PreferHeader.Parse(StringValues.Empty));
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var record in records)
            {
                writer.WriteEntity(json, Accounts, record);
            }
            json.WriteEndArray();
        }

        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray()));
        return document.RootElement.EnumerateArray()
            .Select(row => string.Join(",", row.EnumerateObject().Select(p => p.Name)))
            .ToArray();
    }

    private static Entity Account(params (string Name, object? Value)[] columns)
    {
        var record = new Entity(Accounts.LogicalName, Guid.NewGuid());
        foreach (var (name, value) in columns)
        {
            record[name] = value;
        }
        return record;
    }

    [Fact]
    public void Records_with_the_same_columns_each_get_them_in_table_order()
    {
        var rows = PropertiesOf(
            Account(("statecode", new OptionSetValue(0)), ("msdyn_name", "a")),
            Account(("statecode", new OptionSetValue(1)), ("msdyn_name", "b")));

        Assert.Equal(rows[0], rows[1]);
        Assert.True(rows[0].IndexOf("msdyn_name", StringComparison.Ordinal) < rows[0].IndexOf("statecode", StringComparison.Ordinal));
    }

    [Fact]
    public void A_record_with_other_columns_than_the_one_before_is_written_with_its_own()
    {
        var rows = PropertiesOf(
            Account(("msdyn_name", "a"), ("statecode", new OptionSetValue(0))),
            Account(("msdyn_name", "b")),
            Account(("msdyn_name", "c"), ("msdyn_provideraccountid", "AC1")),
            Account(("msdyn_name", "d"), ("statecode", new OptionSetValue(0))));

        Assert.Equal("msdyn_name,statecode", rows[0]);
        Assert.Equal("msdyn_name", rows[1]);
        Assert.Equal("msdyn_name,msdyn_provideraccountid", rows[2]);
        Assert.Equal("msdyn_name,statecode", rows[3]);
    }
}
