using ChannelAccounts.Client.Http;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Organization;

namespace ChannelAccounts.Client;

/// <summary>RetrieveVersion and RetrieveCurrentOrganization, the functions a client calls when it connects.</summary>
public sealed partial class ChannelAccountsServiceClient
{
    private static MessageForm RetrieveVersionForm() => MessageForm.One(new WebApiCall(HttpMethod.Get, "RetrieveVersion()"), answer =>
    {
        using var document = answer.Json();
        return new RetrieveVersionResponse { ResponseName = "RetrieveVersion", Version = document.RootElement.GetProperty("Version").GetString() ?? "" };
    });

    private static MessageForm RetrieveCurrentOrganizationForm(RetrieveCurrentOrganizationRequest request) => MessageForm.One(
        new WebApiCall(HttpMethod.Get, $"RetrieveCurrentOrganization(AccessType=Microsoft.Dynamics.CRM.EndpointAccessType'{request.AccessType}')"),
        answer =>
        {
            using var document = answer.Json();
            var json = document.RootElement.GetProperty("Detail");
            var detail = new OrganizationDetail
            {
                OrganizationId = json.GetProperty(nameof(OrganizationDetail.OrganizationId)).GetGuid(),
                FriendlyName = json.GetProperty(nameof(OrganizationDetail.FriendlyName)).GetString() ?? "",
                UniqueName = json.GetProperty(nameof(OrganizationDetail.UniqueName)).GetString() ?? "",
                UrlName = json.GetProperty(nameof(OrganizationDetail.UrlName)).GetString() ?? "",
                OrganizationVersion = json.GetProperty(nameof(OrganizationDetail.OrganizationVersion)).GetString() ?? "",
                State = Enum.Parse<OrganizationState>(json.GetProperty(nameof(OrganizationDetail.State)).GetString()!),
            };
            var endpoints = json.GetProperty(nameof(OrganizationDetail.Endpoints));
            foreach (var (key, value) in endpoints.GetProperty("Keys").EnumerateArray().Zip(endpoints.GetProperty("Values").EnumerateArray()))
            {
                detail.Endpoints[Enum.Parse<EndpointType>(key.GetString()!)] = value.GetString() ?? "";
            }

            return new RetrieveCurrentOrganizationResponse { ResponseName = "RetrieveCurrentOrganization", Detail = detail };
        });
}
