using ChannelAccounts.Engine.Security;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.EarlyBound;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Sdk.Messages;
using ChannelAccounts.Sdk.Query;

namespace ChannelAccounts.Client.Tests.Scenarios;

/// <summary>Ownership, state, sharing, principals, errors and the early-bound class.</summary>
public abstract partial class OrganizationServiceScenarios
{
    [Fact]
    public async Task WhoAmI_names_the_caller_its_business_unit_and_the_organization()
    {
        var me = (WhoAmIResponse)await Admin.ExecuteAsync(new WhoAmIRequest());

        Assert.Equal(world.Organization.AdminUserId, me.UserId);
        Assert.Equal(world.Organization.RootBusinessUnitId, me.BusinessUnitId);
        Assert.Equal(world.Organization.OrganizationId, me.OrganizationId);
    }

    [Fact]
    public async Task Assign_makes_another_user_the_owner()
    {
        var user = await AddUserAsync("assignee", SecurityCatalog.BasicUserRoleId);
        var id = await Admin.CreateAsync(Account("to assign"));

        await Admin.ExecuteAsync(new AssignRequest { Target = new(Accounts, id), Assignee = new("systemuser", user) });

        var record = await Admin.RetrieveAsync(Accounts, id, new ColumnSet("ownerid", "owningbusinessunit"));
        Assert.Equal(new EntityReference("systemuser", user), record.GetAttributeValue<EntityReference>("ownerid"));
        Assert.Equal(new EntityReference("businessunit", world.Organization.RootBusinessUnitId), record.GetAttributeValue<EntityReference>("owningbusinessunit"));
    }

    [Fact]
    public async Task Assign_to_a_team_with_a_role_returns_an_owner_reference_of_type_team()
    {
        var team = await AddTeamThatCanOwnAsync();
        var id = await Admin.CreateAsync(Account("team owned"));

        await Admin.ExecuteAsync(new AssignRequest { Target = new(Accounts, id), Assignee = new("team", team) });

        var owner = (await Admin.RetrieveAsync(Accounts, id, new ColumnSet("ownerid"))).GetAttributeValue<EntityReference>("ownerid");
        Assert.Equal(new EntityReference("team", team), owner);
    }

    [Fact]
    public async Task SetState_deactivates_and_a_status_that_does_not_belong_to_the_state_faults()
    {
        var id = await Admin.CreateAsync(Account("to deactivate"));

        await Admin.ExecuteAsync(new SetStateRequest { EntityMoniker = new(Accounts, id), State = new(1), Status = new(2) });
        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() =>
            Admin.ExecuteAsync(new SetStateRequest { EntityMoniker = new(Accounts, id), State = new(0), Status = new(2) }));

        var record = await Admin.RetrieveAsync(Accounts, id, new ColumnSet("statecode", "statuscode"));
        Assert.Equal(new OptionSetValue(1), record.GetAttributeValue<OptionSetValue>("statecode"));
        Assert.Equal(new OptionSetValue(2), record.GetAttributeValue<OptionSetValue>("statuscode"));
        Assert.Equal(ErrorCodes.InvalidStateCodeStatusCode, fault.ErrorCode);
        Assert.Equal(-2147187704, fault.ErrorCode);
    }

    [Fact]
    public async Task Sharing_grants_modifies_and_revokes_what_a_basic_user_may_do_with_a_record()
    {
        var user = await AddUserAsync("sharee", SecurityCatalog.BasicUserRoleId);
        var id = await Admin.CreateAsync(Account("shared"));
        var target = new EntityReference(Accounts, id);
        var principal = new EntityReference("systemuser", user);
        var asUser = world.ServiceFor(user);

        var denied = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => asUser.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name")));
        Assert.Equal(ErrorCodes.AccessDenied, denied.ErrorCode);

        await Admin.ExecuteAsync(new GrantAccessRequest { Target = target, PrincipalAccess = new() { Principal = principal, AccessMask = AccessRights.ReadAccess } });
        Assert.Equal(AccessRights.ReadAccess, await AccessAsync(target, principal));
        Assert.Equal(Tag + " shared", (await asUser.RetrieveAsync(Accounts, id, new ColumnSet("msdyn_name"))).GetAttributeValue<string>("msdyn_name"));

        await Admin.ExecuteAsync(new ModifyAccessRequest
        {
            Target = target,
            PrincipalAccess = new() { Principal = principal, AccessMask = AccessRights.ReadAccess | AccessRights.WriteAccess },
        });
        Assert.Equal(AccessRights.ReadAccess | AccessRights.WriteAccess, await AccessAsync(target, principal));
        var shared = (RetrieveSharedPrincipalsAndAccessResponse)await Admin.ExecuteAsync(new RetrieveSharedPrincipalsAndAccessRequest { Target = target });
        var access = Assert.Single(shared.PrincipalAccesses);
        Assert.Equal(principal, access.Principal);
        Assert.Equal(AccessRights.ReadAccess | AccessRights.WriteAccess, access.AccessMask);
        await asUser.UpdateAsync(new Entity(Accounts, id) { ["msdyn_name"] = Tag + " shared and written" });

        await Admin.ExecuteAsync(new RevokeAccessRequest { Target = target, Revokee = principal });
        Assert.Equal(AccessRights.None, await AccessAsync(target, principal));
        Assert.Empty(((RetrieveSharedPrincipalsAndAccessResponse)await Admin.ExecuteAsync(new RetrieveSharedPrincipalsAndAccessRequest { Target = target })).PrincipalAccesses);
    }

    [Fact]
    public async Task Associating_a_role_to_a_user_gives_the_privileges_and_disassociating_takes_them_away()
    {
        var user = await AddUserAsync("roleless", roleId: null);
        var asUser = world.ServiceFor(user);

        var before = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => asUser.CreateAsync(Account("not yet")));
        await Admin.AssociateAsync("systemuser", user, new Relationship("systemuserroles_association"), [new EntityReference("role", SecurityCatalog.BasicUserRoleId)]);
        var created = await asUser.CreateAsync(Account("now allowed"));
        await Admin.DisassociateAsync("systemuser", user, new Relationship("systemuserroles_association"), [new EntityReference("role", SecurityCatalog.BasicUserRoleId)]);
        var after = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => asUser.CreateAsync(Account("no longer")));

        Assert.Equal(ErrorCodes.PrivilegeDenied, before.ErrorCode);
        Assert.NotEqual(Guid.Empty, created);
        Assert.Equal(ErrorCodes.PrivilegeDenied, after.ErrorCode);
    }

    [Fact]
    public async Task A_basic_user_creating_a_user_faults_with_the_missing_privilege_code()
    {
        var user = await AddUserAsync("basic", SecurityCatalog.BasicUserRoleId);

        var fault = await Assert.ThrowsAsync<OrganizationServiceFaultException>(() => world.ServiceFor(user).CreateAsync(new Entity("systemuser")
        {
            ["domainname"] = $"mallory.{Tag}@example.test".ToLowerInvariant(),
            ["businessunitid"] = new EntityReference("businessunit", world.Organization.RootBusinessUnitId),
        }));

        Assert.Equal(-2147220960, fault.ErrorCode);
        Assert.Contains("prvCreateUser", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_early_bound_account_round_trips_with_typed_properties()
    {
        var account = new msdyn_ocwhatsappchannelaccount
        {
            msdyn_name = Tag + " early bound",
            msdyn_provideraccountid = "AC" + new string('1', 32),
            msdyn_twilioinboundurl = "https://example.test/in",
        };

        var id = await Admin.CreateAsync(account);
        var read = (await Admin.RetrieveAsync(msdyn_ocwhatsappchannelaccount.EntityLogicalName, id, new ColumnSet(true))).ToEntity<msdyn_ocwhatsappchannelaccount>();

        Assert.Equal(id, read.msdyn_ocwhatsappchannelaccountid);
        Assert.Equal(id, read.Id);
        Assert.Equal(Tag + " early bound", read.msdyn_name);
        Assert.Equal("https://example.test/in", read.msdyn_twilioinboundurl);
        Assert.Equal(msdyn_ocwhatsappchannelaccount_statecode.Active, read.statecode);
        Assert.Equal(msdyn_ocwhatsappchannelaccount_statuscode.Active, read.statuscode);
        Assert.Equal(world.Organization.AdminUserId, read.ownerid!.Id);
        Assert.Equal(world.Organization.AdminUserId, read.createdby!.Id);
        Assert.NotNull(read.versionnumber);
        Assert.Equal(DateTimeKind.Utc, read.createdon!.Value.ToUniversalTime().Kind);

        read.statecode = msdyn_ocwhatsappchannelaccount_statecode.Inactive;
        read.statuscode = msdyn_ocwhatsappchannelaccount_statuscode.Inactive;
        await Admin.UpdateAsync(new msdyn_ocwhatsappchannelaccount(id) { statecode = read.statecode, statuscode = read.statuscode });
        var again = new msdyn_ocwhatsappchannelaccount(await Admin.RetrieveAsync(Accounts, id, new ColumnSet("statecode")));
        Assert.Equal(msdyn_ocwhatsappchannelaccount_statecode.Inactive, again.statecode);
    }

    private async Task<AccessRights> AccessAsync(EntityReference target, EntityReference principal) =>
        ((RetrievePrincipalAccessResponse)await Admin.ExecuteAsync(new RetrievePrincipalAccessRequest { Target = target, Principal = principal })).AccessRights;

    /// <summary>A user in the root business unit, created and given a role through the service itself.</summary>
    private async Task<Guid> AddUserAsync(string name, Guid? roleId)
    {
        var id = await Admin.CreateAsync(new Entity("systemuser")
        {
            ["domainname"] = $"{name}.{Tag}@example.test".ToLowerInvariant(),
            ["firstname"] = name,
            ["lastname"] = Tag,
            ["businessunitid"] = new EntityReference("businessunit", world.Organization.RootBusinessUnitId),
        });
        if (roleId is { } role)
        {
            await Admin.AssociateAsync("systemuser", id, new Relationship("systemuserroles_association"), [new EntityReference("role", role)]);
        }

        return id;
    }

    /// <summary>A team in the root business unit with the Basic User role: a team owns records only with a role that lets it read them.</summary>
    private async Task<Guid> AddTeamThatCanOwnAsync()
    {
        var team = await Admin.CreateAsync(new Entity("team")
        {
            ["name"] = Tag + " owners",
            ["businessunitid"] = new EntityReference("businessunit", world.Organization.RootBusinessUnitId),
        });
        await Admin.AssociateAsync("team", team, new Relationship("teamroles_association"), [new EntityReference("role", SecurityCatalog.BasicUserRoleId)]);
        return team;
    }
}
