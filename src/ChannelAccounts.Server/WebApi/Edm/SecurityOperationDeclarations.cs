using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Sdk;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// The sharing messages as Dataverse declares them: the AccessRights flags enum, the PrincipalAccess complex type,
/// the unbound actions GrantAccess/ModifyAccess/RevokeAccess, the unbound function RetrieveSharedPrincipalsAndAccess,
/// and RetrievePrincipalAccess bound to systemuser and team.
/// </summary>
public static class SecurityOperationDeclarations
{
    public const string GrantAccess = "GrantAccess";
    public const string ModifyAccess = "ModifyAccess";
    public const string RevokeAccess = "RevokeAccess";
    public const string RetrievePrincipalAccess = "RetrievePrincipalAccess";
    public const string RetrieveSharedPrincipalsAndAccess = "RetrieveSharedPrincipalsAndAccess";

    public static void AddTo(EdmModel model, EdmEntityContainer container, EdmEntityType crmBaseEntity, IReadOnlyDictionary<string, EdmEntityType> types)
    {
        var rights = new EdmEnumType(EdmModelBuilder.Namespace, nameof(AccessRights), EdmPrimitiveTypeKind.Int32, isFlags: true);
        foreach (var value in Enum.GetValues<AccessRights>())
        {
            rights.AddMember(value.ToString(), new EdmEnumMemberValue((long)value));
        }

        model.AddElement(rights);
        var rightsType = new EdmEnumTypeReference(rights, isNullable: false);
        var baseEntity = new EdmEntityTypeReference(crmBaseEntity, isNullable: false);

        var principalAccess = new EdmComplexType(EdmModelBuilder.Namespace, nameof(PrincipalAccess));
        principalAccess.AddStructuralProperty(nameof(PrincipalAccess.AccessMask), rightsType);
        principalAccess.AddUnidirectionalNavigation(new EdmNavigationPropertyInfo
        {
            Name = nameof(PrincipalAccess.Principal),
            Target = crmBaseEntity,
            TargetMultiplicity = EdmMultiplicity.One,
        });
        model.AddElement(principalAccess);
        var principalAccessType = new EdmComplexTypeReference(principalAccess, isNullable: false);

        AddAction(model, container, GrantAccess, ("Target", baseEntity), ("PrincipalAccess", principalAccessType));
        AddAction(model, container, ModifyAccess, ("Target", baseEntity), ("PrincipalAccess", principalAccessType));
        AddAction(model, container, RevokeAccess, ("Target", baseEntity), ("Revokee", baseEntity));

        var sharedResponse = new EdmComplexType(EdmModelBuilder.Namespace, RetrieveSharedPrincipalsAndAccess + "Response");
        sharedResponse.AddStructuralProperty("PrincipalAccesses", new EdmCollectionTypeReference(new EdmCollectionType(principalAccessType)));
        model.AddElement(sharedResponse);
        var shared = new EdmFunction(EdmModelBuilder.Namespace, RetrieveSharedPrincipalsAndAccess,
            new EdmComplexTypeReference(sharedResponse, isNullable: false), isBound: false, entitySetPathExpression: null, isComposable: false);
        shared.AddParameter("Target", baseEntity);
        model.AddElement(shared);
        container.AddFunctionImport(RetrieveSharedPrincipalsAndAccess, shared, entitySet: null, includeInServiceDocument: false);

        var principalResponse = new EdmComplexType(EdmModelBuilder.Namespace, RetrievePrincipalAccess + "Response");
        principalResponse.AddStructuralProperty(nameof(AccessRights), rightsType);
        model.AddElement(principalResponse);
        foreach (var principal in new[] { MetadataCatalog.SystemUser, MetadataCatalog.Team })
        {
            var function = new EdmFunction(EdmModelBuilder.Namespace, RetrievePrincipalAccess,
                new EdmComplexTypeReference(principalResponse, isNullable: false), isBound: true, entitySetPathExpression: null, isComposable: false);
            function.AddParameter("entity", new EdmEntityTypeReference(types[principal], isNullable: false));
            function.AddParameter("Target", baseEntity);
            model.AddElement(function);
        }
    }

    private static void AddAction(EdmModel model, EdmEntityContainer container, string name, params (string Name, IEdmTypeReference Type)[] parameters)
    {
        var action = new EdmAction(EdmModelBuilder.Namespace, name, returnType: null, isBound: false, entitySetPathExpression: null);
        foreach (var (parameter, type) in parameters)
        {
            action.AddParameter(parameter, type);
        }

        model.AddElement(action);
        container.AddActionImport(name, action);
    }
}
