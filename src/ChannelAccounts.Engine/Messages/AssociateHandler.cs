using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Principals;
using ChannelAccounts.Engine.Records;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Messages;

/// <summary>Links records through a many-to-many relationship: roles to users and teams, users to teams.</summary>
public sealed class AssociateHandler : MessageHandler<AssociateRequest, AssociateResponse>
{
    protected override async ValueTask<AssociateResponse> Handle(AssociateRequest request, MessageContext context, CancellationToken cancellationToken)
    {
        var (relationship, target) = await RelationshipRequest.ResolveAsync(request.Target, request.Relationship, context, cancellationToken);
        foreach (var related in request.RelatedEntities)
        {
            RelationshipRequest.CheckRelated(relationship, target.LogicalName, related);
            await IntersectStore.LinkAsync(relationship, target.LogicalName, target.Id, related.Id, context, cancellationToken);
        }

        return new AssociateResponse();
    }
}
