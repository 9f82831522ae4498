using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Engine.Principals;

/// <summary>
/// Create, update and delete of users, teams, business units and roles: validation, defaults (the root business
/// unit, a user's full name), the tree and uniqueness rules, and the System Administrator check.
/// </summary>
public static class PrincipalWriter
{
    public static async ValueTask<Guid> CreateAsync(EntityDefinition entity, Entity target, MessageContext context, CancellationToken cancellationToken)
    {
        await DemandAdministratorAsync("Create", entity, context, cancellationToken);
        await HoldSecurityDataAsync(context, cancellationToken);
        var id = target.Id != Guid.Empty ? target.Id : target.GetAttributeValue<Guid?>(entity.PrimaryIdAttribute) ?? RecordIds.New();
        if (await context.Transaction.RetrieveForShareAsync(entity, id, [], cancellationToken) is not null)
        {
            // Before the columns are checked: a create of an id that exists fails for that, whatever the body holds.
            throw DataverseFault.DuplicateRecord();
        }

        var row = Convert(entity, target, forCreate: true);
        row[entity.PrimaryIdAttribute] = id;
        var root = Guid.Parse((await context.Transaction.GetSettingAsync(OrganizationSetup.RootBusinessUnitSetting, cancellationToken))!);
        var unitColumn = entity.LogicalName == MetadataCatalog.BusinessUnit ? "parentbusinessunitid" : "businessunitid";
        if (entity.TryGetAttribute(unitColumn, out _))
        {
            row[unitColumn] = row.GetValueOrDefault(unitColumn) ?? root;
            await RequireAsync(context, MetadataCatalog.BusinessUnit, (Guid)row[unitColumn]!, cancellationToken);
        }

        Require(entity, row, entity.LogicalName == MetadataCatalog.SystemUser ? "domainname" : "name");
        switch (entity.LogicalName)
        {
            case MetadataCatalog.SystemUser:
                Default(row, "isdisabled", false);
                await RequireUniqueDomainNameAsync(entity, (string)row["domainname"]!, id, context, cancellationToken);
                SetFullName(row, row.GetValueOrDefault("firstname") as string, row.GetValueOrDefault("lastname") as string);
                break;
            case MetadataCatalog.Team:
                Default(row, "teamtype", 0);
                row["isdefault"] = false;
                break;
            case MetadataCatalog.BusinessUnit:
                row["organizationid"] = context.OrganizationId;
                break;
            case MetadataCatalog.Role:
                Default(row, "ca_readsecuredcolumns", false);
                break;
        }

        Stamp(row, context, created: true);
        row["versionnumber"] = await context.Transaction.NextVersionAsync(cancellationToken);
        await context.Transaction.InsertAsync(entity, row, cancellationToken);
        return id;
    }

    public static async ValueTask UpdateAsync(EntityDefinition entity, Entity target, ConcurrencyBehavior concurrency, MessageContext context,
        CancellationToken cancellationToken)
    {
        await DemandAdministratorAsync("Write", entity, context, cancellationToken);
        await HoldSecurityDataAsync(context, cancellationToken);
        var id = target.Id != Guid.Empty ? target.Id : target.GetAttributeValue<Guid?>(entity.PrimaryIdAttribute)
            ?? throw DataverseFault.InvalidArgument("Update needs the record's id.");
        var current = await context.Transaction.RetrieveForUpdateAsync(entity, id, null, cancellationToken)
            ?? throw DataverseFault.RecordNotFound(entity.LogicalName, id);
        RecordWriter.CheckRowVersion(concurrency, target.RowVersion, current);
        var changes = Convert(entity, target, forCreate: false);
        RequireValues(entity, changes);
        if (entity.LogicalName == MetadataCatalog.SystemUser && id == context.Caller.UserId && changes.GetValueOrDefault("isdisabled") is true)
        {
            // Disabling oneself would leave the caller (perhaps the only administrator) unable to undo it.
            throw DataverseFault.InvalidArgument("A user cannot disable their own user. Ask another System Administrator to disable it.");
        }

        if (changes.TryGetValue("businessunitid", out var unit))
        {
            // A user, team or role always sits in a unit: its privileges are anchored there.
            await RequireAsync(context, MetadataCatalog.BusinessUnit, unit as Guid? ?? throw DataverseFault.InvalidArgument(
                $"businessunitid of a {entity.LogicalName} cannot be cleared; it always belongs to a business unit. Name another business unit instead."),
                cancellationToken);
        }

        if (entity.LogicalName == MetadataCatalog.BusinessUnit && changes.TryGetValue("parentbusinessunitid", out var parent))
        {
            await CheckParentAsync(id, current["parentbusinessunitid"] as Guid?, parent as Guid?, context, cancellationToken);
        }

        if (entity.LogicalName == MetadataCatalog.SystemUser)
        {
            if (changes.TryGetValue("domainname", out var domainName))
            {
                Require(entity, changes, "domainname");
                await RequireUniqueDomainNameAsync(entity, (string)domainName!, id, context, cancellationToken);
            }

            if (changes.ContainsKey("firstname") || changes.ContainsKey("lastname"))
            {
                SetFullName(changes, changes.TryGetValue("firstname", out var f) ? f as string : current["firstname"] as string,
                    changes.TryGetValue("lastname", out var l) ? l as string : current["lastname"] as string);
            }
        }

        Stamp(changes, context, created: false);
        changes["versionnumber"] = await context.Transaction.NextVersionAsync(cancellationToken);
        await context.Transaction.UpdateAsync(entity, id, changes, cancellationToken);
        if (entity.LogicalName is MetadataCatalog.SystemUser or MetadataCatalog.Team
            && changes.TryGetValue("businessunitid", out var moved) && moved is Guid newUnit && !newUnit.Equals(current["businessunitid"]))
        {
            await OwnedRecords.MoveToBusinessUnitAsync(id, newUnit, context, cancellationToken);
        }
    }

    public static async ValueTask DeleteAsync(EntityDefinition entity, Guid id, ConcurrencyBehavior concurrency, string? rowVersion, MessageContext context,
        CancellationToken cancellationToken)
    {
        await DemandAdministratorAsync("Delete", entity, context, cancellationToken);
        await HoldSecurityDataAsync(context, cancellationToken);

        // Read for update before the checks: whatever is about to point at the principal (a record's owner, a share,
        // a membership) reads its row with a shared lock, so it either committed before this read, and the checks
        // below see it, or it waits for this delete and then finds the principal gone.
        var current = await context.Transaction.RetrieveForUpdateAsync(entity, id, ["versionnumber"], cancellationToken)
            ?? throw DataverseFault.RecordNotFound(entity.LogicalName, id);
        RecordWriter.CheckRowVersion(concurrency, rowVersion, current);
        var catalog = context.Catalog;
        switch (entity.LogicalName)
        {
            case MetadataCatalog.SystemUser:
                throw DataverseFault.InvalidArgument("Users cannot be deleted, as in Dataverse: disable the user with isdisabled = true.");
            case MetadataCatalog.BusinessUnit:
                throw DataverseFault.InvalidArgument("Business units cannot be deleted by this server; move their users and teams and leave the unit empty.");
            case MetadataCatalog.Team:
                if (await OwnedRecords.AnyAsync(id, context, cancellationToken))
                {
                    throw DataverseFault.InvalidArgument($"The team {id} owns records; assign them to another owner before deleting the team.");
                }

                await context.Transaction.DeleteWhereAsync(catalog[MetadataCatalog.TeamMembership], "teamid", id, cancellationToken);
                await context.Transaction.DeleteWhereAsync(catalog[MetadataCatalog.TeamRoles], "teamid", id, cancellationToken);
                await context.Transaction.DeleteWhereAsync(catalog[MetadataCatalog.PrincipalObjectAccess], "principalid", id, cancellationToken);
                break;
            case MetadataCatalog.Role:
                if (id == SecurityCatalog.SystemAdministratorRoleId || id == SecurityCatalog.BasicUserRoleId)
                {
                    throw DataverseFault.InvalidArgument("The shipped roles System Administrator and Basic User cannot be deleted.");
                }

                await context.Transaction.DeleteWhereAsync(catalog[MetadataCatalog.RolePrivileges], "roleid", id, cancellationToken);
                await context.Transaction.DeleteWhereAsync(catalog[MetadataCatalog.SystemUserRoles], "roleid", id, cancellationToken);
                await context.Transaction.DeleteWhereAsync(catalog[MetadataCatalog.TeamRoles], "roleid", id, cancellationToken);
                break;
        }

        await context.Transaction.DeleteAsync(entity, id, cancellationToken);
    }

    /// <summary>
    /// Holds the security data against other writers for the rest of the message, before any check: the checks that
    /// follow (a unique domainname, a pair not linked yet, a team that owns nothing) and the writes they allow are then
    /// one step for every other principal writer, which takes this lock first too (and so never waits for it while
    /// holding a principal's row). A write to a security table would take it anyway, only later.
    /// </summary>
    public static ValueTask HoldSecurityDataAsync(MessageContext context, CancellationToken cancellationToken) =>
        context.Transaction.LockSecurityDataAsync(cancellationToken);

    /// <summary>Managing principals needs the privilege Dataverse names for it; here System Administrators hold them all.</summary>
    public static async ValueTask DemandAdministratorAsync(string verb, EntityDefinition entity, MessageContext context, CancellationToken cancellationToken) =>
        await DemandPrivilegeAsync(PrincipalTables.PrivilegeFor(verb, entity.LogicalName), entity, context, cancellationToken);

    public static async ValueTask DemandPrivilegeAsync(string privilege, EntityDefinition entity, MessageContext context, CancellationToken cancellationToken)
    {
        var caller = await context.Access.CallerAsync(cancellationToken);
        if (!caller.IsSystemAdministrator)
        {
            throw context.Access.PrivilegeDenied(caller, entity, privilege);
        }
    }

    /// <summary>
    /// 404 unless the record exists; it then stays until the message commits (a shared row lock), as the membership,
    /// role assignment or business unit about to name it must not outlive it.
    /// </summary>
    public static async ValueTask RequireAsync(MessageContext context, string logicalName, Guid id, CancellationToken cancellationToken)
    {
        if (await context.Transaction.RetrieveForShareAsync(context.Catalog[logicalName], id, [], cancellationToken) is null)
        {
            throw DataverseFault.RecordNotFound(logicalName, id);
        }
    }

    private static StoredRow Convert(EntityDefinition entity, Entity target, bool forCreate)
    {
        var row = new StoredRow();
        foreach (var (name, value) in target.Attributes)
        {
            if (!entity.TryGetAttribute(name, out var attribute))
            {
                throw DataverseFault.AttributeNotFound(entity.LogicalName, name);
            }

            if ((forCreate ? attribute.IsValidForCreate : attribute.IsValidForUpdate) && attribute.IsStored && name != entity.PrimaryIdAttribute)
            {
                row[name] = AttributeValueConverter.ToStorage(entity, attribute, value);
            }
        }

        return row;
    }

    /// <summary>A required text column cannot be cleared, and a Yes/No column of a principal is always yes or no.</summary>
    private static void RequireValues(EntityDefinition entity, StoredRow changes)
    {
        foreach (var (name, value) in changes)
        {
            var attribute = entity.Attribute(name);
            if (attribute.RequiredLevel == AttributeRequiredLevel.SystemRequired && attribute.AttributeType == AttributeTypeCode.String)
            {
                Require(entity, changes, name);
            }
            else if (attribute.AttributeType == AttributeTypeCode.Boolean && value is null)
            {
                throw DataverseFault.InvalidArgument($"'{name}' of a {entity.LogicalName} is true or false; it cannot be cleared.");
            }
        }
    }

    private static void Default(StoredRow row, string column, object value)
    {
        if (row.GetValueOrDefault(column) is null)
        {
            row[column] = value;
        }
    }

    private static void Require(EntityDefinition entity, StoredRow row, string column)
    {
        if (row.GetValueOrDefault(column) is not string { Length: > 0 })
        {
            throw new OrganizationServiceFaultException(ErrorCodes.RequiredFieldMissing,
                $"The column '{column}' is required to create or update a {entity.LogicalName}.");
        }
    }

    private static void SetFullName(StoredRow row, string? first, string? last)
    {
        var full = $"{first} {last}".Trim();
        row["fullname"] = full.Length == 0 ? null : full;
        row["yomifullname"] = row["fullname"];
    }

    private static void Stamp(StoredRow row, MessageContext context, bool created)
    {
        if (created)
        {
            row["createdon"] = context.UtcNow;
        }

        row["modifiedon"] = context.UtcNow;
    }

    private static async ValueTask RequireUniqueDomainNameAsync(EntityDefinition entity, string domainName, Guid id, MessageContext context,
        CancellationToken cancellationToken)
    {
        var query = new QueryExpression(entity.LogicalName) { ColumnSet = new ColumnSet("systemuserid"), TopCount = 1 };
        query.Criteria.AddCondition("domainname", ConditionOperator.Equal, domainName);
        query.Criteria.AddCondition("systemuserid", ConditionOperator.NotEqual, id);
        if ((await context.Transaction.QueryAsync(query, context.QueryContext, cancellationToken)).Rows.Count > 0)
        {
            throw new OrganizationServiceFaultException(ErrorCodes.DuplicateRecord, $"A user with the domainname '{domainName}' already exists.");
        }
    }

    /// <summary>A business unit's parent must exist and must not be the unit itself or one of its descendants; the root stays the root.</summary>
    private static async ValueTask CheckParentAsync(Guid unit, Guid? currentParent, Guid? parent, MessageContext context, CancellationToken cancellationToken)
    {
        if (currentParent is null || parent is null)
        {
            throw DataverseFault.InvalidArgument("The root business unit has no parent, and every other unit needs one.");
        }

        var loader = new SecurityProfileLoader(context.Transaction, context.UtcNow);
        var below = await loader.SubtreeAsync(unit, cancellationToken);
        if (below.Contains(parent.Value))
        {
            throw DataverseFault.InvalidArgument($"The business unit {parent} is {unit} itself or below it; a unit cannot be its own ancestor.");
        }

        await RequireAsync(context, MetadataCatalog.BusinessUnit, parent.Value, cancellationToken);
    }
}
