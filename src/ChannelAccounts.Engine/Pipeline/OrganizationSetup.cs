using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Storage;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>What the first start on an empty database creates: the organization, its root business unit and a first admin.</summary>
public sealed record OrganizationInfo(Guid OrganizationId, Guid RootBusinessUnitId, Guid AdminUserId, string AdminDomainName, bool CreatedNow);

public static class OrganizationSetup
{
    public const string OrganizationIdSetting = "organization.id";
    public const string RootBusinessUnitSetting = "organization.rootbusinessunitid";
    public const string AdminUserSetting = "organization.adminuserid";
    public const string DefaultAdminDomainName = "admin@channelaccounts.local";

    /// <summary>Creates the schema and, on an empty database, the organization. Safe when several servers start at once.</summary>
    public static async Task<OrganizationInfo> EnsureAsync(IDataStore store, string organizationName = "ChannelAccounts",
        TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        await store.EnsureSchemaAsync(cancellationToken);
        await using var transaction = await store.BeginAsync(TransactionMode.Write, cancellationToken);
        var candidate = Guid.NewGuid();
        var organizationId = Guid.Parse(await transaction.GetOrAddSettingAsync(OrganizationIdSetting, candidate.ToString(), cancellationToken));
        var createdNow = organizationId == candidate;
        if (createdNow)
        {
            await CreateOrganizationAsync(store.Catalog, transaction, organizationId, organizationName, time ?? TimeProvider.System, cancellationToken);
        }

        var info = new OrganizationInfo(
            organizationId,
            Guid.Parse((await transaction.GetSettingAsync(RootBusinessUnitSetting, cancellationToken))!),
            Guid.Parse((await transaction.GetSettingAsync(AdminUserSetting, cancellationToken))!),
            DefaultAdminDomainName,
            createdNow);
        var now = Records.OwnerTypes.ToStoredDateTime((time ?? TimeProvider.System).GetUtcNow().UtcDateTime);
        await Security.SecuritySeed.EnsureAsync(transaction, store.Catalog, info.RootBusinessUnitId, now, cancellationToken);
        await Security.SecuritySeed.AssignRoleAsync(transaction, store.Catalog, info.AdminUserId, Security.SecurityCatalog.SystemAdministratorRoleId, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return info;
    }

    private static async Task CreateOrganizationAsync(MetadataCatalog catalog, IStoreTransaction transaction, Guid organizationId,
        string name, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = Records.OwnerTypes.ToStoredDateTime(time.GetUtcNow().UtcDateTime);
        var businessUnitId = Guid.NewGuid();
        var adminId = Guid.NewGuid();

        await transaction.InsertAsync(catalog[MetadataCatalog.Organization], await Stamp(transaction, now, new StoredRow
        {
            ["organizationid"] = organizationId,
            ["name"] = name,
        }, cancellationToken), cancellationToken);
        await transaction.InsertAsync(catalog[MetadataCatalog.BusinessUnit], await Stamp(transaction, now, new StoredRow
        {
            ["businessunitid"] = businessUnitId,
            ["name"] = name,
            ["parentbusinessunitid"] = null,
            ["organizationid"] = organizationId,
        }, cancellationToken), cancellationToken);
        await transaction.InsertAsync(catalog[MetadataCatalog.SystemUser], await Stamp(transaction, now, new StoredRow
        {
            ["systemuserid"] = adminId,
            ["domainname"] = DefaultAdminDomainName,
            ["firstname"] = "System",
            ["lastname"] = "Administrator",
            ["fullname"] = "System Administrator",
            ["yomifullname"] = "System Administrator",
            ["businessunitid"] = businessUnitId,
            ["isdisabled"] = false,
        }, cancellationToken), cancellationToken);
        await transaction.GetOrAddSettingAsync(RootBusinessUnitSetting, businessUnitId.ToString(), cancellationToken);
        await transaction.GetOrAddSettingAsync(AdminUserSetting, adminId.ToString(), cancellationToken);
    }

    private static async ValueTask<StoredRow> Stamp(IStoreTransaction transaction, DateTime now, StoredRow row, CancellationToken cancellationToken)
    {
        row["createdon"] = now;
        row["modifiedon"] = now;
        row["versionnumber"] = await transaction.NextVersionAsync(cancellationToken);
        return row;
    }
}
