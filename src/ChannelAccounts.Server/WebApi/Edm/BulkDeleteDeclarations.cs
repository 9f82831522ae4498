using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// The unbound action BulkDelete(QuerySet, JobName, SendEmailNotification, ToRecipients, CCRecipients,
/// RecurrencePattern, StartDateTime, RunNow, SourceImportId) returning BulkDeleteResponse {JobId}, with the
/// QueryExpression its QuerySet holds (open here: QueryExpressionReader reads and checks its members).
/// </summary>
public static class BulkDeleteDeclarations
{
    public const string BulkDelete = "BulkDelete";

    public static void AddTo(EdmModel model, EdmEntityContainer container)
    {
        var query = new EdmComplexType(EdmModelBuilder.Namespace, "QueryExpression", baseType: null, isAbstract: false, isOpen: true);
        query.AddStructuralProperty("EntityName", EdmPrimitiveTypeKind.String);
        model.AddElement(query);

        var response = new EdmComplexType(EdmModelBuilder.Namespace, BulkDelete + "Response");
        response.AddStructuralProperty("JobId", EdmPrimitiveTypeKind.Guid, isNullable: false);
        model.AddElement(response);

        var action = new EdmAction(EdmModelBuilder.Namespace, BulkDelete, new EdmComplexTypeReference(response, isNullable: false), isBound: false, entitySetPathExpression: null);
        action.AddParameter("QuerySet", new EdmCollectionTypeReference(new EdmCollectionType(new EdmComplexTypeReference(query, isNullable: false))));
        action.AddParameter("JobName", EdmCoreModel.Instance.GetString(isNullable: false));
        action.AddParameter("SendEmailNotification", EdmCoreModel.Instance.GetBoolean(isNullable: false));
        var guids = new EdmCollectionTypeReference(new EdmCollectionType(EdmCoreModel.Instance.GetGuid(isNullable: false)));
        action.AddParameter("ToRecipients", guids);
        action.AddParameter("CCRecipients", guids);
        action.AddParameter("RecurrencePattern", EdmCoreModel.Instance.GetString(isNullable: false));
        action.AddParameter("StartDateTime", EdmCoreModel.Instance.GetDateTimeOffset(isNullable: false));
        action.AddOptionalParameter("RunNow", EdmCoreModel.Instance.GetBoolean(isNullable: false));
        action.AddOptionalParameter("SourceImportId", EdmCoreModel.Instance.GetGuid(isNullable: false));
        model.AddElement(action);
        container.AddActionImport(BulkDelete, action);
    }
}
