using System.Text.Json;
using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// Reads the parameters of Dataverse's actions and functions: entity references given as
/// {"@odata.type":"Microsoft.Dynamics.CRM.systemuser","systemuserid":"…"} (or "ownerid", or "@odata.id"), and
/// AccessRights given as names joined by commas ("ReadAccess, WriteAccess" or "ReadAccess,WriteAccess").
/// </summary>
public sealed class OperationParameterReader(MetadataCatalog catalog, string operation)
{
    private const string TypePrefix = "Microsoft.Dynamics.CRM.";

    /// <summary>
    /// Refuses a body member the operation does not declare, in the words of OData's parameter reader, which reads
    /// action bodies in Dataverse: a misspelt parameter is a 400, never silently dropped. So is an annotation of a
    /// parameter ("Targets@odata.type"), which that reader does not support either; the body's own annotations pass.
    /// </summary>
    public void RejectUndeclared(JsonElement body, IEdmModel model)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var declared = model.SchemaElements.OfType<IEdmOperation>().Where(o => o.Name == operation)
            .SelectMany(o => o.Parameters.Skip(o.IsBound ? 1 : 0)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var member in body.EnumerateObject())
        {
            if (member.Name.IndexOf('@', StringComparison.Ordinal) > 0)
            {
                throw new WebApiException(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPayload, // OData's reader fails on the payload
                    $"Property annotations are not supported on the parameters of '{operation}': '{member.Name}'. " +
                    "Send each parameter's value alone; an entity's @odata.type goes inside its object.");
            }

            if (!member.Name.StartsWith('@') && !declared.Contains(member.Name))
            {
                throw WebApiException.BadRequest($"The parameter '{member.Name}' in the request payload is not a valid parameter for the operation '{operation}'.");
            }
        }
    }

    public JsonElement Required(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw Fault($"The parameter '{name}' is required.");

    public EntityReference Reference(JsonElement value, string parameter)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Fault($"The parameter '{parameter}' must be an entity object with '@odata.type' and its id, or '@odata.id'.");
        }

        if (value.TryGetProperty("@odata.id", out var uri) && uri.ValueKind == JsonValueKind.String)
        {
            return EntityReferenceUri.TryParse(uri.GetString()!, catalog, out var reference)
                ? reference
                : throw Fault($"The '@odata.id' of '{parameter}' must look like \"msdyn_ocwhatsappchannelaccounts(<id>)\", not '{uri.GetString()}'.");
        }

        if (!value.TryGetProperty("@odata.type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw Fault($"The parameter '{parameter}' needs '@odata.type', for example \"Microsoft.Dynamics.CRM.systemuser\".");
        }

        var logicalName = type.GetString()!.TrimStart('#');
        logicalName = logicalName.StartsWith(TypePrefix, StringComparison.Ordinal) ? logicalName[TypePrefix.Length..] : logicalName;
        if (!catalog.TryGetByLogicalName(logicalName, out var entity))
        {
            throw Fault($"The '@odata.type' of '{parameter}' names no known type: '{type.GetString()}'.");
        }

        RejectUnknownProperties(value, parameter, $"{TypePrefix}{entity.LogicalName}",
            name => entity.TryGetAttribute(name, out _) || name == "ownerid" || IsLookupValue(entity, name));
        foreach (var key in new[] { entity.PrimaryIdAttribute, "ownerid" })
        {
            if (value.TryGetProperty(key, out var id) && id.ValueKind == JsonValueKind.String && System.Guid.TryParse(id.GetString(), out var guid))
            {
                return new EntityReference(entity.LogicalName, guid);
            }
        }

        throw Fault($"The parameter '{parameter}' needs its id as '{entity.PrimaryIdAttribute}' (a GUID).");
    }

    /// <summary>
    /// A structured parameter (an entity, PrincipalAccess, RolePrivilege) is not an open type: a member its type does not
    /// declare is refused, as Microsoft.OData.Core refuses it, instead of being dropped. Annotations are allowed.
    /// </summary>
    public void RejectUnknownProperties(JsonElement value, string parameter, string typeName, Func<string, bool> declares)
    {
        foreach (var member in value.EnumerateObject())
        {
            if (!member.Name.Contains('@', StringComparison.Ordinal) && !declares(member.Name))
            {
                throw Fault($"The property '{member.Name}' does not exist on type '{typeName}' (in '{parameter}').");
            }
        }
    }

    private static bool IsLookupValue(EntityDefinition entity, string name) =>
        name.StartsWith('_') && name.EndsWith("_value", StringComparison.Ordinal) && entity.TryGetAttribute(name[1..^6], out var lookup) && lookup.IsLookup;

    public AccessRights Rights(JsonElement value, string parameter)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return (AccessRights)number;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Fault($"'{parameter}' must be AccessRights names such as \"ReadAccess, WriteAccess\".");
        }

        var rights = AccessRights.None;
        foreach (var name in value.GetString()!.Split(',', StringSplitOptions.TrimEntries))
        {
            if (name.Length == 0)
            {
                throw Fault($"'{parameter}' has an empty member in \"{value.GetString()}\"; name the rights separated by commas, such as \"ReadAccess, WriteAccess\", or \"None\".");
            }

            rights |= Enum.TryParse<AccessRights>(name, ignoreCase: false, out var right) && Enum.IsDefined(right)
                ? right
                : throw Fault($"'{name}' is not an AccessRights member; use ReadAccess, WriteAccess, AppendAccess, AppendToAccess, CreateAccess, DeleteAccess, ShareAccess or AssignAccess.");
        }

        return rights;
    }

    /// <summary>A string parameter: declared non-nullable Edm.String, so null is refused as a number is.</summary>
    public string String(JsonElement value, string parameter) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()!
        : throw Fault($"'{parameter}' must be a string{(value.ValueKind == JsonValueKind.Null ? ", not null" : "")}.");

    public bool Boolean(JsonElement value, string parameter) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Fault($"'{parameter}' must be true or false, not {value.GetRawText()}."),
    };

    /// <summary>An optional collection of GUIDs: absent or null is none.</summary>
    public Guid[] Guids(JsonElement body, string parameter) =>
        !body.TryGetProperty(parameter, out var value) || value.ValueKind == JsonValueKind.Null ? []
        : value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray().Select((id, i) => Guid(id, $"{parameter}[{i}]"))]
        : throw Fault($"'{parameter}' must be an array of GUIDs.");

    public Guid Guid(JsonElement value, string parameter) =>
        value.ValueKind == JsonValueKind.String && System.Guid.TryParse(value.GetString(), out var id)
            ? id
            : throw Fault($"'{parameter}' must be a GUID.");

    public PrivilegeDepth Depth(JsonElement value, string parameter)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && Enum.IsDefined((PrivilegeDepth)number))
        {
            return (PrivilegeDepth)number;
        }

        return value.ValueKind == JsonValueKind.String && Enum.TryParse<PrivilegeDepth>(value.GetString(), ignoreCase: false, out var depth) && Enum.IsDefined(depth)
            ? depth
            : throw Fault($"'{parameter}' must be Basic, Local, Deep or Global.");
    }

    /// <summary>AccessRights as the Web API writes them: member names in ascending value, joined by ", ".</summary>
    public static string Format(AccessRights rights) =>
        rights == AccessRights.None
            ? nameof(AccessRights.None)
            : string.Join(", ", Enum.GetValues<AccessRights>().Where(r => r != AccessRights.None && rights.HasFlag(r)));

    private WebApiException Fault(string detail) =>
        WebApiException.BadRequest($"Invalid parameters for '{operation}': {detail}");
}
