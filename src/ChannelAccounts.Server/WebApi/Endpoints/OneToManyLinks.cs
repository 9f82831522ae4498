using ChannelAccounts.Engine.Metadata;
using ChannelAccounts.Engine.Pipeline;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Edm;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Endpoints;

/// <summary>
/// The one-to-many relationships behind collection-valued navigation properties (systemusers(id)/user_…): the table
/// and lookup whose rows point at the record. A $ref through one, or a POST creating a record through one, is answered
/// with what to do instead: most are ownership and audit lookups the platform maintains (Dataverse changes them only
/// by assigning the record, or not at all), and the others are set with @odata.bind on the related record itself.
/// </summary>
public static class OneToManyLinks
{
    private static readonly HashSet<string> OwnershipLookups = new(StringComparer.Ordinal) { "ownerid", "owninguser", "owningteam" };

    private static readonly HashSet<string> AuditLookups = new(StringComparer.Ordinal) { "createdby", "createdonbehalfby", "modifiedby", "modifiedonbehalfby" };

    /// <summary>
    /// POST or DELETE set(id)/nav/$ref on a one-to-many relationship. In Dataverse that sets or clears the lookup of the
    /// related record; here the answer says how to change that lookup (for ownership: assign the record).
    /// </summary>
    public static OrganizationServiceFaultException RefuseReference(EntityDefinition entity, Guid id, string navigation, EntityDefinition table, AttributeDefinition lookup) =>
        table.WrittenBy is { } writer
            ? DataverseFault.WrittenOnlyBy(table.LogicalName, writer) // its lookup cannot be changed any other way either
            : DataverseFault.InvalidArgument(
                $"'{navigation}' is the one-to-many relationship of {table.LogicalName}.{lookup.LogicalName}; this server does not link or unlink " +
                $"its records with $ref. {WhatToDo(entity, id.ToString(), table, lookup, "an existing record")}");

    /// <summary>POST set(id)/nav to create a related record: Dataverse creates records through their own entity set.</summary>
    public static WebApiException RefuseCreate(string method, EntityDefinition entity, Guid id, string navigation, EntityDefinition table, AttributeDefinition lookup) =>
        new(StatusCodes.Status405MethodNotAllowed, ErrorCodes.NotSupported,
            $"The HTTP method '{method}' is not supported for the related records of '{navigation}'; records are created through their own entity set. " +
            WhatToDo(entity, id.ToString(), table, lookup, "a new record"))
        {
            Allow = "GET",
        };

    /// <summary>How to make a record of <paramref name="table"/> related to this one through <paramref name="lookup"/>, in words.</summary>
    /// <param name="id">The record's id as the hint shows it (its GUID, or a placeholder such as "&lt;id&gt;").</param>
    internal static string WhatToDo(EntityDefinition entity, string id, EntityDefinition table, AttributeDefinition lookup, string record)
    {
        if (table.WrittenBy is { } writer)
        {
            return $"Records of {table.LogicalName} are written only by {writer}; callers read them through '{table.EntitySetName}' or this navigation property.";
        }

        var target = $"/{entity.EntitySetName}({id})";
        var verb = record == "a new record" ? $"POST {table.EntitySetName}" : $"PATCH {table.EntitySetName}(<id>)";
        if (OwnershipLookups.Contains(lookup.LogicalName) && table.TryGetAttribute("ownerid", out _))
        {
            return $"To make this {entity.LogicalName} the owner of {record}, set its owner (an Assign for an existing one): " +
                   $"{verb} with {{\"ownerid@odata.bind\":\"{target}\"}}.";
        }

        if (lookup.LogicalName == "owningbusinessunit")
        {
            return $"{table.LogicalName}.owningbusinessunit follows the record's owner: set ownerid@odata.bind to a user or team of that business unit ({verb}).";
        }

        return AuditLookups.Contains(lookup.LogicalName)
            ? $"{table.LogicalName}.{lookup.LogicalName} is set by the platform from the user who makes the change."
            : $"Set the lookup on {record} itself: {verb} with {{\"{lookup.LogicalName}@odata.bind\":\"{target}\"}}.";
    }
}
