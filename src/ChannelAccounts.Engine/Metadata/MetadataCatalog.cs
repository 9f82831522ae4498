using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;

namespace ChannelAccounts.Engine.Metadata;

/// <summary>Every table the engine knows, read from the JSON definitions shipped in this assembly.</summary>
public sealed class MetadataCatalog
{
    public const string WhatsAppAccount = "msdyn_ocwhatsappchannelaccount";
    public const string WhatsAppMessage = "ca_whatsappmessage";
    public const string SystemUser = "systemuser";
    public const string BusinessUnit = "businessunit";
    public const string Team = "team";
    public const string Organization = "organization";
    public const string Role = "role";
    public const string Privilege = "privilege";
    public const string RolePrivileges = "roleprivileges";
    public const string SystemUserRoles = "systemuserroles";
    public const string TeamRoles = "teamroles";
    public const string TeamMembership = "teammembership";
    public const string PrincipalObjectAccess = "principalobjectaccess";

    private readonly FrozenDictionary<string, EntityDefinition> _byLogicalName;
    private readonly FrozenDictionary<string, EntityDefinition> _byEntitySetName;

    public MetadataCatalog(IEnumerable<EntityDefinition> entities)
    {
        Entities = entities.ToList();
        _byLogicalName = Entities.ToFrozenDictionary(e => e.LogicalName, StringComparer.Ordinal);
        _byEntitySetName = Entities.ToFrozenDictionary(e => e.EntitySetName, StringComparer.Ordinal);
    }

    /// <summary>The shipped definitions, loaded once.</summary>
    public static MetadataCatalog Default { get; } = LoadEmbedded();

    public IReadOnlyList<EntityDefinition> Entities { get; }

    public EntityDefinition this[string logicalName] => _byLogicalName[logicalName];

    public bool TryGetByLogicalName(string logicalName, out EntityDefinition entity) =>
        _byLogicalName.TryGetValue(logicalName, out entity!);

    public bool TryGetByEntitySetName(string entitySetName, out EntityDefinition entity) =>
        _byEntitySetName.TryGetValue(entitySetName, out entity!);

    private static MetadataCatalog LoadEmbedded()
    {
        var assembly = typeof(MetadataCatalog).Assembly;
        var entities = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Tables.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => Read(assembly, n));
        return new MetadataCatalog(entities);
    }

    private static EntityDefinition Read(Assembly assembly, string resourceName)
    {
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Missing embedded table definition {resourceName}.");
        return JsonSerializer.Deserialize<EntityDefinition>(stream)
            ?? throw new InvalidOperationException($"Empty table definition {resourceName}.");
    }
}
