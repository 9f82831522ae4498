using System.Xml.Linq;
using ChannelAccounts.Client.Batch;
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

    public override async Task<OrganizationResponse> ExecuteAsync(OrganizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        switch (request)
        {
            case ExecuteMultipleRequest multiple:
                return await ExecuteMultipleCoreAsync(multiple, cancellationToken);
            case ExecuteTransactionRequest transaction:
                return await ExecuteTransactionCoreAsync(transaction, cancellationToken);
            case UpsertRequest upsert:
                return await UpsertCoreAsync(upsert, cancellationToken);
        }

        // WhoAmI needs no $metadata: it can be the first call against a server, before any table is touched.
        var form = request is WhoAmIRequest ? WhoAmIForm() : FormOf(request, await MetadataAsync(cancellationToken));
        var answers = new List<WebApiAnswer>(form.Calls.Count);
        foreach (var call in form.Calls)
        {
            answers.Add(call.Method == HttpMethod.Get && call.Url.Length > MaxUrlLength
                ? await SendInBatchAsync(call, cancellationToken)
                : await _transport.SendAsync(call, cancellationToken));
        }

        return form.Read(answers);
    }

    /// <summary>Longer URLs (a long FetchXML) would pass the server's request-line limit (Kestrel's is 8 KB).</summary>
    private const int MaxUrlLength = 4096;

    /// <summary>A GET too long for a URL goes as the one request of a $batch, whose body has no such limit, as Dataverse advises.</summary>
    private async Task<WebApiAnswer> SendInBatchAsync(WebApiCall call, CancellationToken cancellationToken)
    {
        var answer = (await SendBatchAsync([new BatchPart(false, [new BatchOperation("1", call)])], continueOnError: false, cancellationToken))[0].Answer;
        return answer.Failed ? throw WebApiTransport.FaultOf(answer) : answer;
    }

    /// <summary>
    /// The Web API form of a message, the same whether it is sent alone or inside a $batch; assignIds gives creates
    /// without an id a new one, so that their responses are known without their answers.
    /// </summary>
    private MessageForm FormOf(OrganizationRequest request, ServiceMetadata metadata, bool assignIds = false) => request switch
    {
        CreateRequest create => CreateForm(create, metadata, assignIds),
        RetrieveRequest retrieve => RetrieveForm(retrieve, metadata),
        UpdateRequest update => UpdateForm(update, metadata),
        UpsertRequest upsert => UpsertForm(upsert, metadata),
        DeleteRequest delete => DeleteForm(delete, metadata),
        RetrieveMultipleRequest multiple => RetrieveMultipleForm(multiple, metadata),
        WhoAmIRequest => WhoAmIForm(),
        RetrieveVersionRequest => RetrieveVersionForm(),
        RetrieveCurrentOrganizationRequest organization => RetrieveCurrentOrganizationForm(organization),
        AssignRequest assign => AssignForm(assign, metadata),
        SetStateRequest setState => SetStateForm(setState, metadata),
        GrantAccessRequest or ModifyAccessRequest or RevokeAccessRequest => SharingActionForm(request, metadata),
        RetrievePrincipalAccessRequest access => RetrievePrincipalAccessForm(access, metadata),
        RetrieveSharedPrincipalsAndAccessRequest shared => RetrieveSharedForm(shared, metadata),
        AssociateRequest associate => AssociateForm(associate, metadata),
        DisassociateRequest disassociate => DisassociateForm(disassociate, metadata),
        AddPrivilegesRoleRequest or ReplacePrivilegesRoleRequest or RemovePrivilegeRoleRequest
            or AddMembersTeamRequest or RemoveMembersTeamRequest => PrincipalActionForm(request, metadata),
        CreateMultipleRequest create => CreateMultipleForm(create, metadata, assignIds),
        UpdateMultipleRequest update => UpdateMultipleForm(update, metadata),
        UpsertMultipleRequest upsert => UpsertMultipleForm(upsert, metadata),
        IsValidStateTransitionRequest transition => IsValidStateTransitionForm(transition, metadata),
        BulkDeleteRequest bulkDelete => BulkDeleteForm(bulkDelete),
        _ => throw new NotSupportedException($"The message '{request.RequestName}' is not supported by the Web API client."),
    };

    public void Dispose()
    {
        _http.Dispose();
        _metadataLock.Dispose();
    }

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
