using ChannelAccounts.Sdk.Organization;
using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// The unbound functions clients call when they connect: RetrieveVersion() and
/// RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'Default'), with Dataverse's
/// response types (RetrieveVersionResponse {Version}, RetrieveCurrentOrganizationResponse {Detail: OrganizationDetail}).
/// </summary>
public static class OrganizationOperationDeclarations
{
    public const string RetrieveVersion = "RetrieveVersion";
    public const string RetrieveCurrentOrganization = "RetrieveCurrentOrganization";

    public static void AddTo(EdmModel model, EdmEntityContainer container)
    {
        var versionResponse = new EdmComplexType(EdmModelBuilder.Namespace, RetrieveVersion + "Response");
        versionResponse.AddStructuralProperty("Version", EdmPrimitiveTypeKind.String);
        model.AddElement(versionResponse);
        AddFunction(model, container, RetrieveVersion, versionResponse, parameter: null);

        var accessType = Enum<EndpointAccessType>(model);
        var endpointType = Enum<EndpointType>(model);
        var state = Enum<OrganizationState>(model);
        var endpoints = new EdmComplexType(EdmModelBuilder.Namespace, "EndpointCollection");
        endpoints.AddStructuralProperty("Count", EdmPrimitiveTypeKind.Int32, isNullable: false);
        endpoints.AddStructuralProperty("IsReadOnly", EdmPrimitiveTypeKind.Boolean, isNullable: false);
        endpoints.AddStructuralProperty("Keys", new EdmCollectionTypeReference(new EdmCollectionType(new EdmEnumTypeReference(endpointType, isNullable: false))));
        endpoints.AddStructuralProperty("Values", new EdmCollectionTypeReference(new EdmCollectionType(EdmCoreModel.Instance.GetString(isNullable: true))));
        model.AddElement(endpoints);

        var detail = new EdmComplexType(EdmModelBuilder.Namespace, nameof(OrganizationDetail));
        detail.AddStructuralProperty(nameof(OrganizationDetail.OrganizationId), EdmPrimitiveTypeKind.Guid, isNullable: false);
        detail.AddStructuralProperty(nameof(OrganizationDetail.FriendlyName), EdmPrimitiveTypeKind.String);
        detail.AddStructuralProperty(nameof(OrganizationDetail.OrganizationVersion), EdmPrimitiveTypeKind.String);
        detail.AddStructuralProperty(nameof(OrganizationDetail.UrlName), EdmPrimitiveTypeKind.String);
        detail.AddStructuralProperty(nameof(OrganizationDetail.UniqueName), EdmPrimitiveTypeKind.String);
        detail.AddStructuralProperty(nameof(OrganizationDetail.Endpoints), new EdmComplexTypeReference(endpoints, isNullable: true));
        detail.AddStructuralProperty(nameof(OrganizationDetail.State), new EdmEnumTypeReference(state, isNullable: false));
        model.AddElement(detail);

        var organizationResponse = new EdmComplexType(EdmModelBuilder.Namespace, RetrieveCurrentOrganization + "Response");
        organizationResponse.AddStructuralProperty(nameof(Sdk.Messages.RetrieveCurrentOrganizationResponse.Detail), new EdmComplexTypeReference(detail, isNullable: true));
        model.AddElement(organizationResponse);
        AddFunction(model, container, RetrieveCurrentOrganization, organizationResponse, ("AccessType", new EdmEnumTypeReference(accessType, isNullable: false)));
    }

    private static EdmEnumType Enum<T>(EdmModel model) where T : struct, System.Enum
    {
        var type = new EdmEnumType(EdmModelBuilder.Namespace, typeof(T).Name, EdmPrimitiveTypeKind.Int32, isFlags: false);
        foreach (var value in System.Enum.GetValues<T>())
        {
            type.AddMember(value.ToString(), new EdmEnumMemberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
        }

        model.AddElement(type);
        return type;
    }

    private static void AddFunction(EdmModel model, EdmEntityContainer container, string name, EdmComplexType response,
        (string Name, IEdmTypeReference Type)? parameter)
    {
        var function = new EdmFunction(EdmModelBuilder.Namespace, name, new EdmComplexTypeReference(response, isNullable: false),
            isBound: false, entitySetPathExpression: null, isComposable: false);
        if (parameter is var (parameterName, type))
        {
            function.AddParameter(parameterName, type);
        }

        model.AddElement(function);
        container.AddFunctionImport(name, function, entitySet: null, includeInServiceDocument: false);
    }
}
