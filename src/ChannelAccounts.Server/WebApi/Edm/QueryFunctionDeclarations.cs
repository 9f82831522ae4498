using Microsoft.OData.Edm;

namespace ChannelAccounts.Server.WebApi.Edm;

/// <summary>
/// Declares Dataverse's query functions as composable unbound functions returning Edm.Boolean, so that
/// ODataUriParser binds <c>Microsoft.Dynamics.CRM.In(PropertyName='x',PropertyValues=[...])</c> in $filter
/// as a SingleValueFunctionCallNode with named parameters.
/// </summary>
internal static class QueryFunctionDeclarations
{
    public static void AddTo(EdmModel model)
    {
        var boolean = EdmCoreModel.Instance.GetBoolean(isNullable: false);
        var text = EdmCoreModel.Instance.GetString(isNullable: true);
        var number = EdmCoreModel.Instance.GetInt64(isNullable: false);
        var texts = EdmCoreModel.GetCollection(text);

        foreach (var declared in QueryFunction.All.Values)
        {
            var function = new EdmFunction(EdmModelBuilder.Namespace, declared.Name, boolean,
                isBound: false, entitySetPathExpression: null, isComposable: true);
            function.AddParameter(QueryFunction.PropertyNameParameter, text);
            switch (declared.ValueKind)
            {
                case QueryFunctionValueKind.StringValue:
                    function.AddParameter(QueryFunction.PropertyValueParameter, text);
                    break;
                case QueryFunctionValueKind.Int64Value:
                    function.AddParameter(QueryFunction.PropertyValueParameter, number);
                    break;
                case QueryFunctionValueKind.StringValues:
                    function.AddParameter(QueryFunction.PropertyValuesParameter, texts);
                    break;
            }

            model.AddElement(function);
        }
    }
}
