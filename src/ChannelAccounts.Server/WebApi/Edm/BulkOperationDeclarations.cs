using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// CreateMultiple, UpdateMultiple and UpsertMultiple as actions bound to the collection of each served table (research §3),
/// CreateMultipleResponse {Ids}, and the unbound function IsValidStateTransition(Entity, NewState, NewStatus).
/// </summary>
public static class BulkOperationDeclarations
{
    public const string CreateMultiple = "CreateMultiple";
    public const string UpdateMultiple = "UpdateMultiple";
    public const string UpsertMultiple = "UpsertMultiple";
    public const string IsValidStateTransition = "IsValidStateTransition";

    public static bool IsBulkAction(string name) => name is CreateMultiple or UpdateMultiple or UpsertMultiple;

    public static void AddTo(EdmModel model, EdmEntityContainer container, EdmEntityType crmBaseEntity, IEnumerable<EdmEntityType> servedTables)
    {
        var baseEntity = new EdmEntityTypeReference(crmBaseEntity, isNullable: false);
        var createResponse = new EdmComplexType(EdmModelBuilder.Namespace, CreateMultiple + "Response");
        createResponse.AddStructuralProperty("Ids", new EdmCollectionTypeReference(new EdmCollectionType(EdmCoreModel.Instance.GetGuid(isNullable: false))));
        model.AddElement(createResponse);
        var targets = new EdmCollectionTypeReference(new EdmCollectionType(baseEntity));

        foreach (var table in servedTables)
        {
            var collection = new EdmCollectionTypeReference(new EdmCollectionType(new EdmEntityTypeReference(table, isNullable: false)));
            AddBoundAction(model, CreateMultiple, collection, targets, new EdmComplexTypeReference(createResponse, isNullable: false));
            AddBoundAction(model, UpdateMultiple, collection, targets, returnType: null);
            AddBoundAction(model, UpsertMultiple, collection, targets, returnType: null);
        }

        var validResponse = new EdmComplexType(EdmModelBuilder.Namespace, IsValidStateTransition + "Response");
        validResponse.AddStructuralProperty("IsValid", EdmPrimitiveTypeKind.Boolean, isNullable: false);
        model.AddElement(validResponse);
        var function = new EdmFunction(EdmModelBuilder.Namespace, IsValidStateTransition,
            new EdmComplexTypeReference(validResponse, isNullable: false), isBound: false, entitySetPathExpression: null, isComposable: false);
        function.AddParameter("Entity", baseEntity);
        function.AddParameter("NewState", EdmCoreModel.Instance.GetString(isNullable: false));
        function.AddParameter("NewStatus", EdmCoreModel.Instance.GetInt32(isNullable: false));
        model.AddElement(function);
        container.AddFunctionImport(IsValidStateTransition, function, entitySet: null, includeInServiceDocument: false);
    }

    private static void AddBoundAction(EdmModel model, string name, IEdmTypeReference bindingType, IEdmTypeReference targets, IEdmTypeReference? returnType)
    {
        var action = new EdmAction(EdmModelBuilder.Namespace, name, returnType, isBound: true, entitySetPathExpression: null);
        action.AddParameter("entityset", bindingType);
        action.AddParameter("Targets", targets);
        model.AddElement(action);
    }
}
