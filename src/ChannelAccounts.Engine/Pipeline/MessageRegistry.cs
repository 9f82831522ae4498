using ChannelAccounts.Engine.Messages;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>The messages this engine runs: one visible list, one handler each.</summary>
public sealed class MessageRegistry
{
    private readonly Dictionary<string, (IMessageHandler Handler, Func<OrganizationRequest> NewRequest)> _byName = new(StringComparer.Ordinal);

    public MessageRegistry()
    {
        Add<CreateRequest>(new CreateHandler());
        Add<RetrieveRequest>(new RetrieveHandler());
        Add<UpdateRequest>(new UpdateHandler());
        Add<DeleteRequest>(new DeleteHandler());
        Add<UpsertRequest>(new UpsertHandler());
        Add<RetrieveMultipleRequest>(new RetrieveMultipleHandler());
        Add<WhoAmIRequest>(new WhoAmIHandler());
        Add<RetrieveVersionRequest>(new RetrieveVersionHandler());
        Add<RetrieveCurrentOrganizationRequest>(new RetrieveCurrentOrganizationHandler());
        Add<AssignRequest>(new AssignHandler());
        Add<SetStateRequest>(new SetStateHandler());
        Add<IsValidStateTransitionRequest>(new IsValidStateTransitionHandler());
        Add<BulkDeleteRequest>(new BulkDeleteHandler());
        Add<CreateMultipleRequest>(new CreateMultipleHandler());
        Add<UpdateMultipleRequest>(new UpdateMultipleHandler());
        Add<UpsertMultipleRequest>(new UpsertMultipleHandler());
        Add<GrantAccessRequest>(new GrantAccessHandler());
        Add<ModifyAccessRequest>(new ModifyAccessHandler());
        Add<RevokeAccessRequest>(new RevokeAccessHandler());
        Add<RetrievePrincipalAccessRequest>(new RetrievePrincipalAccessHandler());
        Add<RetrieveSharedPrincipalsAndAccessRequest>(new RetrieveSharedPrincipalsAndAccessHandler());
        Add<AssociateRequest>(new AssociateHandler());
        Add<DisassociateRequest>(new DisassociateHandler());
        Add<AddPrivilegesRoleRequest>(new AddPrivilegesRoleHandler());
        Add<ReplacePrivilegesRoleRequest>(new ReplacePrivilegesRoleHandler());
        Add<RemovePrivilegeRoleRequest>(new RemovePrivilegeRoleHandler());
        Add<AddMembersTeamRequest>(new AddMembersTeamHandler());
        Add<RemoveMembersTeamRequest>(new RemoveMembersTeamHandler());
    }

    public IEnumerable<string> MessageNames => _byName.Keys;

    /// <summary>
    /// The handler and a request of the handler's type. A plain OrganizationRequest("Create") with parameters is
    /// copied into a CreateRequest, so late-bound callers work as with Dataverse.
    /// </summary>
    public (IMessageHandler Handler, OrganizationRequest Request) Resolve(OrganizationRequest request)
    {
        if (!_byName.TryGetValue(request.RequestName, out var entry))
        {
            throw DataverseFault.UnsupportedRequest(request.RequestName);
        }

        if (entry.Handler.RequestType.IsInstanceOfType(request))
        {
            return (entry.Handler, request);
        }

        var typed = entry.NewRequest();
        foreach (var (key, value) in request.Parameters)
        {
            typed.Parameters[key] = value;
        }

        typed.RequestId = request.RequestId;
        return (entry.Handler, typed);
    }

    private void Add<TRequest>(IMessageHandler handler)
        where TRequest : OrganizationRequest, new() =>
        _byName.Add(new TRequest().RequestName, (handler, () => new TRequest()));
}
