using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Engine.Storage;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Organization;

namespace ChannelAccounts.Engine.Messages;

/// <summary>The caller's organization from its row (read live, so a rename shows at once) and the server's public address.</summary>
public sealed class RetrieveCurrentOrganizationHandler : MessageHandler<RetrieveCurrentOrganizationRequest, RetrieveCurrentOrganizationResponse>
{
    public override TransactionMode Mode => TransactionMode.Read;

    protected override async ValueTask<RetrieveCurrentOrganizationResponse> Handle(RetrieveCurrentOrganizationRequest request,
        MessageContext context, CancellationToken cancellationToken)
    {
        var organization = context.Catalog[MetadataCatalog.Organization];
        var row = await context.Transaction.RetrieveAsync(organization, context.OrganizationId, [organization.PrimaryNameAttribute], cancellationToken)
            ?? throw DataverseFault.RecordNotFound(organization.LogicalName, context.OrganizationId);
        var name = row[organization.PrimaryNameAttribute] as string ?? "";
        var detail = new OrganizationDetail
        {
            OrganizationId = context.OrganizationId,
            FriendlyName = name,
            UniqueName = UniqueName(name, context.OrganizationId),
            UrlName = UniqueName(name, context.OrganizationId),
            OrganizationVersion = RetrieveVersionHandler.Version,
            State = OrganizationState.Enabled,
        };
        if (context.Options.PublicBaseUrl() is { } root)
        {
            detail.Endpoints[EndpointType.WebApplication] = root.ToString();
        }

        return new RetrieveCurrentOrganizationResponse { Detail = detail };
    }

    /// <summary>Dataverse's unique names are lower-case letters and digits; an organization named only in other characters falls back to its id.</summary>
    private static string UniqueName(string name, Guid organizationId)
    {
        var letters = new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        return letters.Length > 0 ? letters : "org" + organizationId.ToString("N")[..8];
    }
}
