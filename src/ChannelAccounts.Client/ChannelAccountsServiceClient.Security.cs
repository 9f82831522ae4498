using System.Text;
using System.Text.Json;
using ChannelAccounts.Client.Http;
using ChannelAccounts.Client.Json;
using ChannelAccounts.Sdk;
using ChannelAccounts.Sdk.Messages;

namespace ChannelAccounts.Client;

/// <summary>WhoAmI, Assign, SetState, sharing, access functions, $ref associations and the role/team actions.</summary>
public sealed partial class ChannelAccountsServiceClient
{
    private static MessageForm WhoAmIForm() => MessageForm.One(new WebApiCall(HttpMethod.Get, "WhoAmI"), answer =>
    {
        using var document = answer.Json();
        var root = document.RootElement;
        return new WhoAmIResponse
        {
            ResponseName = "WhoAmI",
            UserId = root.GetProperty("UserId").GetGuid(),
            BusinessUnitId = root.GetProperty("BusinessUnitId").GetGuid(),
            OrganizationId = root.GetProperty("OrganizationId").GetGuid(),
        };
    });

    /// <summary>Assign is a PATCH of ownerid@odata.bind, as in the Web API.</summary>
    private static MessageForm AssignForm(AssignRequest request, ServiceMetadata metadata)
    {
        var target = request.Target ?? throw new ArgumentException("AssignRequest.Target is required.");
        var values = new Entity(target.LogicalName) { ["ownerid"] = request.Assignee ?? throw new ArgumentException("AssignRequest.Assignee is required.") };
        return MessageForm.Of([PatchCall(metadata, target.LogicalName, target.Id, values, "*")], () => new AssignResponse { ResponseName = "Assign" });
    }

    /// <summary>SetState is a PATCH of statecode and statuscode, as in the Web API.</summary>
    private static MessageForm SetStateForm(SetStateRequest request, ServiceMetadata metadata)
    {
        var target = request.EntityMoniker ?? throw new ArgumentException("SetStateRequest.EntityMoniker is required.");
        var values = new Entity(target.LogicalName) { ["statecode"] = request.State, ["statuscode"] = request.Status };
        return MessageForm.Of([PatchCall(metadata, target.LogicalName, target.Id, values, "*")], () => new SetStateResponse { ResponseName = "SetState" });
    }

    /// <summary>POST GrantAccess / ModifyAccess / RevokeAccess with entity-typed parameters.</summary>
    private static MessageForm SharingActionForm(OrganizationRequest request, ServiceMetadata metadata)
    {
        var body = Json(writer =>
        {
            switch (request)
            {
                case GrantAccessRequest grant:
                    WriteReference(writer, "Target", grant.Target, metadata);
                    WritePrincipalAccess(writer, grant.PrincipalAccess, metadata);
                    break;
                case ModifyAccessRequest modify:
                    WriteReference(writer, "Target", modify.Target, metadata);
                    WritePrincipalAccess(writer, modify.PrincipalAccess, metadata);
                    break;
                case RevokeAccessRequest revoke:
                    WriteReference(writer, "Target", revoke.Target, metadata);
                    WriteReference(writer, "Revokee", revoke.Revokee, metadata);
                    break;
            }
        });
        return MessageForm.Of([new WebApiCall(HttpMethod.Post, request.RequestName, body)], () => request switch
        {
            GrantAccessRequest => new GrantAccessResponse { ResponseName = request.RequestName },
            ModifyAccessRequest => new ModifyAccessResponse { ResponseName = request.RequestName },
            _ => new RevokeAccessResponse { ResponseName = request.RequestName },
        });
    }

    /// <summary>GET principalset(id)/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'set(id)'}.</summary>
    private static MessageForm RetrievePrincipalAccessForm(RetrievePrincipalAccessRequest request, ServiceMetadata metadata)
    {
        var principal = request.Principal ?? throw new ArgumentException("RetrievePrincipalAccessRequest.Principal is required.");
        var path = $"{metadata.EntitySet(principal.LogicalName)}({principal.Id})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@p1)?@p1="
            + Uri.EscapeDataString(AliasOf(request.Target, metadata));
        return MessageForm.One(new WebApiCall(HttpMethod.Get, path), answer =>
        {
            using var document = answer.Json();
            return new RetrievePrincipalAccessResponse
            {
                ResponseName = "RetrievePrincipalAccess",
                AccessRights = ParseRights(document.RootElement.GetProperty("AccessRights")),
            };
        });
    }

    /// <summary>GET RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1=….</summary>
    private static MessageForm RetrieveSharedForm(RetrieveSharedPrincipalsAndAccessRequest request, ServiceMetadata metadata)
    {
        var path = "RetrieveSharedPrincipalsAndAccess(Target=@p1)?@p1=" + Uri.EscapeDataString(AliasOf(request.Target, metadata));
        return MessageForm.One(new WebApiCall(HttpMethod.Get, path), answer =>
        {
            using var document = answer.Json();
            var accesses = new List<PrincipalAccess>();
            foreach (var item in document.RootElement.GetProperty("PrincipalAccesses").EnumerateArray())
            {
                var principal = item.GetProperty("Principal");
                var type = principal.GetProperty("@odata.type").GetString()!.TrimStart('#');
                accesses.Add(new PrincipalAccess
                {
                    AccessMask = ParseRights(item.GetProperty("AccessMask")),
                    Principal = new EntityReference(type[(type.LastIndexOf('.') + 1)..], principal.GetProperty("ownerid").GetGuid()),
                });
            }

            return new RetrieveSharedPrincipalsAndAccessResponse { ResponseName = "RetrieveSharedPrincipalsAndAccess", PrincipalAccesses = [.. accesses] };
        });
    }

    internal static AccessRights ParseRights(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Number)
        {
            return (AccessRights)value.GetInt32();
        }

        var rights = AccessRights.None;
        foreach (var name in (value.GetString() ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            rights |= Enum.Parse<AccessRights>(name);
        }

        return rights;
    }

    private static string AliasOf(EntityReference? target, ServiceMetadata metadata) =>
        target is null
            ? throw new ArgumentException("The request's Target is required.")
            : $"{{'@odata.id':'{metadata.EntitySet(target.LogicalName)}({target.Id})'}}";

    private static void WriteReference(Utf8JsonWriter writer, string name, EntityReference? reference, ServiceMetadata metadata)
    {
        if (reference is null)
        {
            throw new ArgumentException($"The parameter '{name}' is required.");
        }

        writer.WriteStartObject(name);
        writer.WriteString("@odata.type", "Microsoft.Dynamics.CRM." + reference.LogicalName);
        writer.WriteString(metadata.Table(reference.LogicalName).PrimaryIdAttribute, reference.Id);
        writer.WriteEndObject();
    }

    private static void WritePrincipalAccess(Utf8JsonWriter writer, PrincipalAccess? access, ServiceMetadata metadata)
    {
        if (access is null)
        {
            throw new ArgumentException("The parameter 'PrincipalAccess' is required.");
        }

        writer.WriteStartObject("PrincipalAccess");
        WriteReference(writer, "Principal", access.Principal, metadata);
        writer.WriteString("AccessMask", access.AccessMask == AccessRights.None ? "None" : access.AccessMask.ToString());
        writer.WriteEndObject();
    }

    private static string Json(Action<Utf8JsonWriter> properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            properties(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
