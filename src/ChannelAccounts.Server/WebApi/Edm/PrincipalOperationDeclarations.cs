using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Sdk;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// What managing principals needs in the model: the many-to-many navigation properties ($ref targets such as
/// systemusers(id)/systemuserroles_association/$ref), the PrivilegeDepth enum and RolePrivilege complex type, and the
/// actions bound to role (AddPrivilegesRole, ReplacePrivilegesRole, RemovePrivilegeRole) and team (AddMembersTeam, RemoveMembersTeam).
/// </summary>
public static class PrincipalOperationDeclarations
{
    public const string AddPrivilegesRole = "AddPrivilegesRole";
    public const string ReplacePrivilegesRole = "ReplacePrivilegesRole";
    public const string RemovePrivilegeRole = "RemovePrivilegeRole";
    public const string AddMembersTeam = "AddMembersTeam";
    public const string RemoveMembersTeam = "RemoveMembersTeam";

    public static void AddTo(EdmModel model, IReadOnlyDictionary<string, EdmEntityType> types, IReadOnlyDictionary<string, EdmEntitySet> sets)
    {
        foreach (var relationship in PrincipalTables.Relationships)
        {
            AddCollection(types, sets, relationship.Entity1, relationship.Entity2, relationship.SchemaName);
            AddCollection(types, sets, relationship.Entity2, relationship.Entity1, relationship.SchemaName);
        }

        var depth = new EdmEnumType(EdmModelBuilder.Namespace, nameof(PrivilegeDepth), EdmPrimitiveTypeKind.Int32, isFlags: false);
        foreach (var value in Enum.GetValues<PrivilegeDepth>())
        {
            depth.AddMember(value.ToString(), new EdmEnumMemberValue((long)value));
        }

        model.AddElement(depth);
        var rolePrivilege = new EdmComplexType(EdmModelBuilder.Namespace, nameof(RolePrivilege));
        rolePrivilege.AddStructuralProperty(nameof(RolePrivilege.Depth), new EdmEnumTypeReference(depth, isNullable: false));
        rolePrivilege.AddStructuralProperty(nameof(RolePrivilege.PrivilegeId), EdmPrimitiveTypeKind.Guid, isNullable: false);
        rolePrivilege.AddStructuralProperty(nameof(RolePrivilege.BusinessUnitId), EdmPrimitiveTypeKind.Guid, isNullable: true);
        rolePrivilege.AddStructuralProperty(nameof(RolePrivilege.PrivilegeName), EdmPrimitiveTypeKind.String, isNullable: true);
        model.AddElement(rolePrivilege);
        var privileges = new EdmCollectionTypeReference(new EdmCollectionType(new EdmComplexTypeReference(rolePrivilege, isNullable: false)));

        var role = new EdmEntityTypeReference(types[MetadataCatalog.Role], isNullable: false);
        AddBoundAction(model, AddPrivilegesRole, role, ("Privileges", privileges));
        AddBoundAction(model, ReplacePrivilegesRole, role, ("Privileges", privileges));
        AddBoundAction(model, RemovePrivilegeRole, role, ("PrivilegeId", EdmCoreModel.Instance.GetGuid(isNullable: false)));

        var team = new EdmEntityTypeReference(types[MetadataCatalog.Team], isNullable: false);
        var members = new EdmCollectionTypeReference(new EdmCollectionType(new EdmEntityTypeReference(types[MetadataCatalog.SystemUser], isNullable: false)));
        AddBoundAction(model, AddMembersTeam, team, ("Members", members));
        AddBoundAction(model, RemoveMembersTeam, team, ("Members", members));
    }

    private static void AddCollection(IReadOnlyDictionary<string, EdmEntityType> types, IReadOnlyDictionary<string, EdmEntitySet> sets,
        string from, string to, string name)
    {
        var navigation = types[from].AddUnidirectionalNavigation(new EdmNavigationPropertyInfo
        {
            Name = name,
            Target = types[to],
            TargetMultiplicity = EdmMultiplicity.Many,
        });
        sets[from].AddNavigationTarget(navigation, sets[to]);
    }

    private static void AddBoundAction(EdmModel model, string name, IEdmTypeReference bindingType, params (string Name, IEdmTypeReference Type)[] parameters)
    {
        var action = new EdmAction(EdmModelBuilder.Namespace, name, returnType: null, isBound: true, entitySetPathExpression: null);
        action.AddParameter("entity", bindingType);
        foreach (var (parameter, type) in parameters)
        {
            action.AddParameter(parameter, type);
        }

        model.AddElement(action);
    }
}
