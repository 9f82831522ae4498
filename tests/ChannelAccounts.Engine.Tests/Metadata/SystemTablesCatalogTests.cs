using ChannelAccounts.Engine.Metadata;

namespace ChannelAccounts.Engine.Tests.Metadata;

/// <summary>The system tables the features rely on are in MetadataCatalog.Default with the columns they use.</summary>
public sealed class SystemTablesCatalogTests
{
    private static MetadataCatalog Catalog => MetadataCatalog.Default;

    [Theory]
    [InlineData(MetadataCatalog.SystemUser, "systemuserid", "fullname")]
    [InlineData(MetadataCatalog.BusinessUnit, "businessunitid", "name")]
    [InlineData(MetadataCatalog.Team, "teamid", "name")]
    [InlineData(MetadataCatalog.Organization, "organizationid", "name")]
    public void System_table_is_in_the_catalog_with_its_primary_id_and_name(string table, string primaryId, string primaryName)
    {
        var entity = Find(table);

        Assert.Equal(primaryId, entity.PrimaryIdAttribute);
        Assert.Equal(primaryName, entity.PrimaryNameAttribute);
        Assert.Equal(AttributeTypeCode.Uniqueidentifier, entity.Attribute(primaryId).AttributeType);
        Assert.Equal(AttributeTypeCode.String, entity.Attribute(primaryName).AttributeType);
    }

    [Theory]
    [InlineData(MetadataCatalog.SystemUser, "domainname")]
    [InlineData(MetadataCatalog.SystemUser, "fullname")]
    [InlineData(MetadataCatalog.SystemUser, "yomifullname")]
    [InlineData(MetadataCatalog.SystemUser, "businessunitid")]
    [InlineData(MetadataCatalog.SystemUser, "isdisabled")]
    [InlineData(MetadataCatalog.SystemUser, "azureactivedirectoryobjectid")]
    [InlineData(MetadataCatalog.SystemUser, "applicationid")]
    [InlineData(MetadataCatalog.Team, "name")]
    [InlineData(MetadataCatalog.Team, "businessunitid")]
    [InlineData(MetadataCatalog.BusinessUnit, "name")]
    [InlineData(MetadataCatalog.BusinessUnit, "parentbusinessunitid")]
    public void System_table_has_the_column_the_features_use(string table, string column)
    {
        Assert.True(Find(table).TryGetAttribute(column, out _), $"The catalog's '{table}' has no column '{column}'.");
    }

    [Fact]
    public void Every_lookup_target_of_the_whatsapp_table_is_in_the_catalog()
    {
        var targets = Catalog[MetadataCatalog.WhatsAppAccount].Attributes
            .Where(a => a.IsLookup)
            .SelectMany(a => a.Targets.Select(t => (Column: a.LogicalName, Target: t)))
            .ToList();

        Assert.NotEmpty(targets);
        Assert.DoesNotContain(targets, t => !Catalog.TryGetByLogicalName(t.Target, out _));
    }

    private static EntityDefinition Find(string table)
    {
        Assert.True(Catalog.TryGetByLogicalName(table, out var entity), $"The catalog has no table '{table}'.");
        return entity;
    }
}
