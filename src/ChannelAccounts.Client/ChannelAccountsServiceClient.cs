using System.Xml.Linq;
using ChannelAccounts.Client.Http;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client;

/// <summary>
/// IOrganizationService and IOrganizationServiceAsync over the Web API of a ChannelAccounts (or Dataverse-shaped)
/// server: each message is sent in its Web API form. serviceUri is the server root (http://host:port/) or the
/// Web API root (…/api/data/v9.2/); tokenProvider gives a bearer token for each request.
/// </summary>
public sealed partial class ChannelAccountsServiceClient : OrganizationServiceBase, IDisposable
{
    private const string IncludeAnnotations = "odata.include-annotations=\"*\"";
    private readonly HttpClient _http;
    private readonly WebApiTransport _transport;
    private readonly SemaphoreSlim _metadataLock = new(1, 1);
    private ServiceMetadata? _metadata;

    public ChannelAccountsServiceClient(Uri serviceUri, Func<CancellationToken, Task<string>> tokenProvider, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = TimeSpan.FromMinutes(2);
        _transport = new WebApiTransport(_http, ServiceRootOf(serviceUri), tokenProvider);
    }

    /// <summary>The Web API root every request is relative to: …/api/data/v9.2/.</summary>
    public Uri ServiceRoot => _transport.ServiceRoot;

    public override Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request switch
        {
            CreateRequest create => CreateCoreAsync(create, cancellationToken),
            RetrieveRequest retrieve => RetrieveCoreAsync(retrieve, cancellationToken),
            UpdateRequest update => UpdateCoreAsync(update, cancellationToken),
            UpsertRequest upsert => UpsertCoreAsync(upsert, cancellationToken),
            DeleteRequest delete => DeleteCoreAsync(delete, cancellationToken),
            RetrieveMultipleRequest multiple => RetrieveMultipleCoreAsync(multiple, cancellationToken),
            WhoAmIRequest => WhoAmICoreAsync(cancellationToken),
            AssignRequest assign => AssignCoreAsync(assign, cancellationToken),
            SetStateRequest setState => SetStateCoreAsync(setState, cancellationToken),
            GrantAccessRequest or ModifyAccessRequest or RevokeAccessRequest => SharingActionCoreAsync(request, cancellationToken),
            RetrievePrincipalAccessRequest access => RetrievePrincipalAccessCoreAsync(access, cancellationToken),
            RetrieveSharedPrincipalsAndAccessRequest shared => RetrieveSharedCoreAsync(shared, cancellationToken),
            AssociateRequest associate => AssociateCoreAsync(associate, cancellationToken),
            DisassociateRequest disassociate => DisassociateCoreAsync(disassociate, cancellationToken),
            AddPrivilegesRoleRequest or ReplacePrivilegesRoleRequest or RemovePrivilegeRoleRequest
                or AddMembersTeamRequest or RemoveMembersTeamRequest => PrincipalActionCoreAsync(request, cancellationToken),
            ExecuteMultipleRequest batch => ExecuteMultipleCoreAsync(batch, cancellationToken),
            // TODO(issue 4): send as one $batch change set once the server supports $batch; until then it cannot be atomic here.
            ExecuteTransactionRequest => throw new NotSupportedException(
                "ExecuteTransaction is not supported by the Web API client yet: it needs $batch change sets, which this server does not offer."),
            _ => throw new NotSupportedException($"The message '{request.RequestName}' is not supported by the Web API client."),
        };
    }

    public void Dispose()
    {
        _http.Dispose();
        _metadataLock.Dispose();
    }

    /// <summary>ExecuteMultiple request by request (TODO(issue 4): one $batch request once the server supports $batch).</summary>
    private async Task<OrganizationResponse> ExecuteMultipleCoreAsync(ExecuteMultipleRequest request, CancellationToken cancellationToken) =>
        await ExecuteMultipleResponse.RunSequentiallyAsync(request, ExecuteAsync, cancellationToken);

    /// <summary>$metadata, read once: entity sets, keys and property types.</summary>
    private async Task<ServiceMetadata> MetadataAsync(CancellationToken cancellationToken)
    {
        if (_metadata is { } ready)
        {
            return ready;
        }

        await _metadataLock.WaitAsync(cancellationToken);
        try
        {
            if (_metadata is null)
            {
                using var response = await _transport.SendAsync(HttpMethod.Get, "$metadata", null,
                    new Dictionary<string, string> { ["Accept"] = "application/xml" }, cancellationToken, streamBody: true);
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                _metadata = ServiceMetadata.Parse(await XDocument.LoadAsync(stream, LoadOptions.None, cancellationToken));
            }

            return _metadata;
        }
        finally
        {
            _metadataLock.Release();
        }
    }

    private static Uri ServiceRootOf(Uri uri)
    {
        var text = uri.ToString();
        if (!text.Contains("/api/data/", StringComparison.OrdinalIgnoreCase))
        {
            text = text.TrimEnd('/') + "/api/data/v9.2/";
        }

        return new Uri(text.EndsWith('/') ? text : text + "/");
    }
}
