using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace ChannelAccounts.Server.WebApi.Query;

/// <summary>
/// The OData URI resolver with Dataverse's leniency: a GUID may be compared with a quoted literal
/// (<c>_ownerid_value eq '&lt;guid&gt;'</c>), which OData proper refuses as Edm.Guid vs Edm.String.
/// Names stay case-sensitive, as in Dataverse.
/// </summary>
internal sealed class DataverseUriResolver : ODataUriResolver
{
    public DataverseUriResolver() => EnableCaseInsensitive = false;

    public override void PromoteBinaryOperandTypes(BinaryOperatorKind binaryOperatorKind, ref SingleValueNode leftNode,
        ref SingleValueNode rightNode, out IEdmTypeReference typeReference)
    {
        if (IsGuid(leftNode) && TryAsGuid(rightNode, out var right))
        {
            rightNode = right;
        }
        else if (IsGuid(rightNode) && TryAsGuid(leftNode, out var left))
        {
            leftNode = left;
        }

        base.PromoteBinaryOperandTypes(binaryOperatorKind, ref leftNode, ref rightNode, out typeReference);
    }

    private static bool IsGuid(SingleValueNode node) => node.TypeReference?.IsGuid() == true;

    private static bool TryAsGuid(SingleValueNode node, out SingleValueNode guidNode)
    {
        if (node is ConstantNode { Value: string text } && Guid.TryParse(text, out var guid))
        {
            guidNode = new ConstantNode(guid, text, EdmCoreModel.Instance.GetGuid(isNullable: false));
            return true;
        }

        guidNode = node;
        return false;
    }
}
