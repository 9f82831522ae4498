using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Security;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Records;

/// <summary>
/// The one place records are created and updated: validation, the platform's system columns, ownership and state.
/// Create, Update, Upsert (and later the bulk messages) all come through here.
/// </summary>
public static class RecordWriter
{
    /// <summary>The columns an update reads (and locks) before it writes: what its checks need.</summary>
    public static readonly IReadOnlyCollection<string> UpdateReads = ["versionnumber", "statecode", "statuscode", "ownerid", "owningbusinessunit"];

    public static async ValueTask<Guid> CreateAsync(Entity target, MessageContext context, CancellationToken cancellationToken)
    {
        var (entity, id, row) = await PrepareCreateAsync(target, context, cancellationToken);
        await context.Transaction.InsertNumberedAsync(entity, row, cancellationToken);
        return id;
    }

    /// <summary>
    /// Everything a create does short of writing: validation, system columns, owner and state, the Create privilege
    /// and its reach. The row lacks only versionnumber, so a bulk create reserves all its numbers at once.
    /// </summary>
    public static async ValueTask<PreparedRow> PrepareCreateAsync(Entity target, MessageContext context, CancellationToken cancellationToken)
    {
        var entity = WritableEntity(target, context);
        var caller = await context.Access.DemandPrivilegeAsync(entity, AccessRights.CreateAccess, cancellationToken);
        var id = ResolveId(entity, target) ?? RecordIds.New();
        var row = new StoredRow(32) { [entity.PrimaryIdAttribute] = id };
        int? status = null;
        DateTime? overriddenCreatedOn = null;
        EntityReference? owner = null;

        foreach (var (name, value) in target.Attributes)
        {
            var attribute = KnownAttribute(entity, name);
            if (attribute.LogicalName == "ownerid")
            {
                owner = OwnerOf(value);
                continue;
            }

            // Dataverse ignores columns not valid for create (statecode included) rather than failing.
            if (!attribute.IsValidForCreate || attribute.LogicalName is "owneridtype" || attribute.LogicalName == entity.PrimaryIdAttribute)
            {
                continue;
            }

            if (attribute.IsSecured && value is not null && !caller.ReadsSecuredColumns)
            {
                throw DataverseFault.SecuredColumnCreate(entity.LogicalName, attribute.LogicalName);
            }

            // Lengths are checked on the plain text; a secured column then stores only its encrypted form.
            var stored = SecuredColumns.Protect(attribute, AttributeValueConverter.ToStorage(entity, attribute, value), context.Secrets);
            switch (attribute.LogicalName)
            {
                case "statuscode":
                    status = (int?)stored;
                    break;
                case "overriddencreatedon":
                    overriddenCreatedOn = (DateTime?)stored;
                    break;
                default:
                    row[attribute.LogicalName] = stored;
                    break;
            }
        }

        Twilio.TwilioAccountColumns.PrepareCreate(entity, id, row, context.Options.PublicBaseUrl());

        // A new record is always Active; a statuscode given on create must belong to that state.
        var (state, statusValue) = StateRules.ResolveOnCreate(entity, status, id);
        row["statecode"] = state;
        row["statuscode"] = statusValue;

        // overriddencreatedon moves createdon back to the migrated date; the column itself keeps when the migration happened.
        row["createdon"] = overriddenCreatedOn ?? context.UtcNow;
        row["overriddencreatedon"] = overriddenCreatedOn is null ? null : context.UtcNow;
        row["modifiedon"] = context.UtcNow;
        row["createdby"] = context.Caller.UserId;
        row["modifiedby"] = context.Caller.UserId;
        row["createdonbehalfby"] = context.Caller.IsImpersonating ? context.Caller.RealUserId : null;
        row["modifiedonbehalfby"] = context.Caller.IsImpersonating ? context.Caller.RealUserId : null;
        await OwnerResolver.ApplyOwnerAsync(row, owner ?? new EntityReference(MetadataCatalog.SystemUser, context.Caller.UserId), context, cancellationToken);

        // The caller's Create privilege must reach the new record's owner and business unit.
        var ownership = RecordOwnership.From(id, row);
        if (!caller.Reaches(SecurityCatalog.PrivilegeName(entity, AccessRights.CreateAccess), ownership.OwnerId, ownership.OwningBusinessUnitId))
        {
            throw AccessChecker.AccessDenied(caller.PrincipalId, entity, id, AccessRights.CreateAccess);
        }

        if (owner is not null)
        {
            // A record created for another owner is given to it as an Assign gives it: the owner must be able to read it.
            // Checked after the caller's own reach, so a caller who may not create for others learns nothing of their roles.
            await DemandOwnerCanReadAsync(entity, owner, (Guid)row["owningbusinessunit"]!, context, cancellationToken);
        }

        return new PreparedRow(entity, id, row);
    }

    public static async ValueTask UpdateAsync(Entity target, ConcurrencyBehavior concurrency, MessageContext context, CancellationToken cancellationToken)
    {
        var entity = WritableEntity(target, context);
        var id = UpdateId(entity, target);
        var current = await context.Transaction.RetrieveForUpdateAsync(entity, id, UpdateReads, cancellationToken)
            ?? throw DataverseFault.RecordNotFound(entity.LogicalName, id);
        var changes = await PrepareUpdateAsync(entity, id, target, concurrency, current, context, cancellationToken);
        if (!await context.Transaction.UpdateNumberedAsync(entity, id, changes, cancellationToken))
        {
            throw DataverseFault.RecordNotFound(entity.LogicalName, id);
        }
    }

    /// <summary>The record an update names: Entity.Id or the primary id attribute.</summary>
    public static Guid UpdateId(EntityDefinition entity, Entity target) =>
        ResolveId(entity, target) ?? throw DataverseFault.InvalidArgument("Update needs the record's id: set Entity.Id or the primary id attribute.");

    /// <summary>
    /// Everything an update does short of writing, given the record's current row (UpdateReads): access, row version,
    /// validation, state rules, system columns. The changes lack only versionnumber, so a bulk update reserves all its
    /// numbers at once.
    /// </summary>
    public static async ValueTask<StoredRow> PrepareUpdateAsync(EntityDefinition entity, Guid id, Entity target, ConcurrencyBehavior concurrency,
        StoredRow current, MessageContext context, CancellationToken cancellationToken)
    {
        await DemandUpdateAccessAsync(entity, target, RecordOwnership.From(id, current), context, cancellationToken);
        CheckRowVersion(concurrency, target.RowVersion, current);
        if (entity.SecuredAttributes.FirstOrDefault(a => target.Attributes.ContainsKey(a.LogicalName)) is { } secured
            && !(await context.Access.CallerAsync(cancellationToken)).ReadsSecuredColumns)
        {
            // Clearing it is a change too.
            throw DataverseFault.SecuredColumnUpdate(entity.LogicalName, secured.LogicalName);
        }

        var changes = new StoredRow(16);
        int? state = null;
        int? status = null;
        foreach (var (name, value) in target.Attributes)
        {
            var attribute = KnownAttribute(entity, name);
            if (attribute.LogicalName == "ownerid")
            {
                // Assign: the owning business unit, user and team follow the new owner.
                var owner = OwnerOf(value);
                await OwnerResolver.ApplyOwnerAsync(changes, owner, context, cancellationToken);
                await DemandOwnerCanReadAsync(entity, owner, (Guid)changes["owningbusinessunit"]!, context, cancellationToken);
                continue;
            }

            if (!attribute.IsValidForUpdate || attribute.LogicalName is "owneridtype" || attribute.LogicalName == entity.PrimaryIdAttribute)
            {
                continue;
            }

            // Lengths are checked on the plain text; a secured column then stores only its encrypted form.
            var stored = SecuredColumns.Protect(attribute, AttributeValueConverter.ToStorage(entity, attribute, value), context.Secrets);
            switch (attribute.LogicalName)
            {
                case "statecode":
                    state = (int?)stored ?? throw DataverseFault.InvalidArgument("statecode cannot be null.");
                    break;
                case "statuscode":
                    status = (int?)stored;
                    break;
                default:
                    changes[attribute.LogicalName] = stored;
                    break;
            }
        }

        Twilio.TwilioAccountColumns.Validate(entity, changes);
        if (state is not null || status is not null)
        {
            var (newState, newStatus) = StateRules.Resolve(entity, state, status, id);
            changes["statecode"] = newState;
            changes["statuscode"] = newStatus;
        }

        changes["modifiedon"] = context.UtcNow;
        changes["modifiedby"] = context.Caller.UserId;
        changes["modifiedonbehalfby"] = context.Caller.IsImpersonating ? context.Caller.RealUserId : null;
        return changes;
    }

    /// <summary>A change of ownerid is an Assign (Assign privilege and AssignAccess); any other change needs WriteAccess.</summary>
    private static async ValueTask DemandUpdateAccessAsync(EntityDefinition entity, Entity target, RecordOwnership record, MessageContext context,
        CancellationToken cancellationToken)
    {
        if (target.Attributes.ContainsKey("ownerid"))
        {
            await context.Access.DemandAccessAsync(entity, record, AccessRights.AssignAccess, cancellationToken);
        }

        if (target.Attributes.Keys.Any(k => k != "ownerid" && k != entity.PrimaryIdAttribute))
        {
            await context.Access.DemandAccessAsync(entity, record, AccessRights.WriteAccess, cancellationToken);
        }
    }

    private static EntityReference OwnerOf(object? value) => value switch
    {
        EntityReference owner => owner,
        null => throw DataverseFault.InvalidArgument(
            "ownerid cannot be cleared: every record has an owner. Assign the record to another systemuser or team instead."),
        _ => throw DataverseFault.InvalidArgument("ownerid must be an EntityReference to a systemuser or a team."),
    };

    /// <summary>Dataverse refuses an owner that could not read the record it is given ("Read Privilege Check For Owner failed").</summary>
    private static async ValueTask DemandOwnerCanReadAsync(EntityDefinition entity, EntityReference owner, Guid ownerBusinessUnitId,
        MessageContext context, CancellationToken cancellationToken)
    {
        var profile = owner.LogicalName == MetadataCatalog.Team
            ? await context.Access.Loader.ForTeamAsync(owner.Id, ownerBusinessUnitId, cancellationToken)
            : await context.Access.Loader.ForUserAsync(owner.Id, ownerBusinessUnitId, cancellationToken);
        context.Access.DemandPrivilege(profile, entity, AccessRights.ReadAccess);
    }

    public static void CheckRowVersion(ConcurrencyBehavior concurrency, string? expected, StoredRow current)
    {
        if (concurrency != ConcurrencyBehavior.IfRowVersionMatches)
        {
            return;
        }

        if (string.IsNullOrEmpty(expected))
        {
            throw DataverseFault.InvalidArgument("ConcurrencyBehavior IfRowVersionMatches needs the expected RowVersion.");
        }

        var stored = Convert.ToString(current["versionnumber"], System.Globalization.CultureInfo.InvariantCulture);
        if (!string.Equals(stored, expected, StringComparison.Ordinal))
        {
            throw DataverseFault.VersionMismatch();
        }
    }

    public static EntityDefinition WritableEntity(Entity target, MessageContext context)
    {
        if (target is null)
        {
            throw DataverseFault.InvalidArgument("Required field 'Target' is missing.");
        }

        return SupportedEntity(target.LogicalName, context);
    }

    /// <summary>Any table of the catalog, by logical name; an unknown name is Dataverse's MetadataCache error.</summary>
    public static EntityDefinition KnownEntity(string? logicalName, MessageContext context) =>
        context.Catalog.TryGetByLogicalName(logicalName ?? "", out var entity)
            ? entity
            : throw DataverseFault.InvalidArgument($"The entity with a name = '{logicalName}' with namemapping = 'Logical' was not found in the MetadataCache.");

    /// <summary>Tables Retrieve and RetrieveMultiple serve: the WhatsApp accounts, their messages and the principal tables.</summary>
    public static EntityDefinition ReadableEntity(string? logicalName, MessageContext context)
    {
        var entity = KnownEntity(logicalName, context);
        return entity.LogicalName == MetadataCatalog.WhatsAppAccount || entity.ReadAccessThrough is not null
               || Principals.PrincipalTables.IsReadable(entity.LogicalName)
            ? entity
            : throw DataverseFault.InvalidArgument($"Retrieving '{logicalName}' records is not supported by this server.");
    }

    /// <summary>Record messages of this server serve the WhatsApp account table; the system tables have their own writer.</summary>
    public static EntityDefinition SupportedEntity(string logicalName, MessageContext context)
    {
        var entity = KnownEntity(logicalName, context);
        if (entity.WrittenBy is { } writer)
        {
            throw DataverseFault.WrittenOnlyBy(entity.LogicalName, writer);
        }

        if (entity.LogicalName != MetadataCatalog.WhatsAppAccount)
        {
            throw DataverseFault.InvalidArgument($"Record messages on '{logicalName}' are not supported by this server; it serves '{MetadataCatalog.WhatsAppAccount}'.");
        }

        return entity;
    }

    private static AttributeDefinition KnownAttribute(EntityDefinition entity, string name) =>
        entity.TryGetAttribute(name, out var attribute) ? attribute : throw DataverseFault.AttributeNotFound(entity.LogicalName, name);

    public static Guid? ResolveId(EntityDefinition entity, Entity target)
    {
        // An empty id asks for a new one, as Entity.Id does.
        var fromAttribute = target.Attributes.TryGetValue(entity.PrimaryIdAttribute, out var value) && value is Guid g && g != Guid.Empty ? g : (Guid?)null;
        if (target.Id != Guid.Empty && fromAttribute is { } a && a != target.Id)
        {
            throw DataverseFault.InvalidArgument($"Entity.Id {target.Id} and {entity.PrimaryIdAttribute} {a} disagree.");
        }

        return target.Id != Guid.Empty ? target.Id : fromAttribute;
    }
}

/// <summary>A record ready to insert: its table, its id and its stored columns.</summary>
public readonly record struct PreparedRow(EntityDefinition Entity, Guid Id, StoredRow Row);
