using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Removes links of a many-to-many relationship.</summary>
public sealed class DisassociateHandler : MessageHandler<DisassociateRequest, DisassociateResponse>
{
    protected override async ValueTask<DisassociateResponse> Handle(DisassociateRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var (relationship, target) = await RelationshipRequest.ResolveAsync(request.Target, request.Relationship, context, cancellationToken);
        foreach (var related in request.RelatedEntities)
        {
            RelationshipRequest.CheckRelated(relationship, target.LogicalName, related);
            await IntersectStore.UnlinkAsync(relationship, target.LogicalName, target.Id, related.Id, context, cancellationToken);
        }

        return new DisassociateResponse();
    }
}
