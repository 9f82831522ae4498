using ChannelAccounts.Sdk.Faults;

namespace ChannelAccounts.Engine.Pipeline;

/// <summary>The faults the engine raises, with Dataverse's codes and message texts in one place.</summary>
public static class DataverseFault
{
    public static OrganizationServiceFaultException RecordNotFound(string entityName, Guid id) =>
        new(ErrorCodes.ObjectDoesNotExist, $"Entity '{entityName}' With Id = {id} Does Not Exist");

    /// <summary>Dataverse joins at most 15 linked tables in one query (FetchXML link-entity, QueryExpression LinkEntity).</summary>
    public static OrganizationServiceFaultException TooManyLinkEntities(int count, int limit) =>
        new(ErrorCodes.TooManyLinkEntities, $"Number of link entities in query exceeded maximum limit. This query links {count} tables; at most {limit} are allowed.");

    /// <summary>A query past what the database can compile (nesting depth, number of terms); the request is at fault, not the server.</summary>
    public static OrganizationServiceFaultException QueryTooComplex(string detail) =>
        new(ErrorCodes.InvalidArgument, $"The query is too complex for the database ({detail}). Use fewer conditions or linked tables, " +
            "for example one In condition with a list of values instead of many conditions joined by or.");

    public static OrganizationServiceFaultException DuplicateRecord() =>
        new(ErrorCodes.DuplicateRecord, "A record with matching key values already exists.");

    public static OrganizationServiceFaultException VersionMismatch() =>
        new(ErrorCodes.ConcurrencyVersionMismatch, "The version of the existing record doesn't match the RowVersion property provided.");

    public static OrganizationServiceFaultException StringTooLong(string attribute, string entity, int maxLength) =>
        new(ErrorCodes.StringLengthTooLong,
            $"A validation error occurred.  The length of the '{attribute}' attribute of the '{entity}' entity exceeded the maximum allowed length of '{maxLength}'.");

    public static OrganizationServiceFaultException ValueOutOfRange(string attribute, string entity, long value, long min, long max) =>
        new(ErrorCodes.ValueOutOfRange,
            $"A validation error occurred.  The value {value} of '{attribute}' on record of type '{entity}' is outside the valid range. Accepted Values: {min} to {max}.");

    /// <param name="hint">What to do instead, after Dataverse's own text.</param>
    public static OrganizationServiceFaultException InvalidStatusForState(int status, string stateSchema, string stateName, string entity, Guid id,
        string? hint = null) =>
        new(ErrorCodes.InvalidStateCodeStatusCode,
            $"{status} is not a valid status code for state code {stateSchema}State.{stateName} on {entity} with Id {id}." + (hint is null ? "" : " " + hint));

    public static OrganizationServiceFaultException InvalidArgument(string message) => new(ErrorCodes.InvalidArgument, message);

    public static OrganizationServiceFaultException AttributeNotFound(string entity, string attribute) =>
        new(ErrorCodes.QueryBuilderNoAttribute, $"'{entity}' entity doesn't contain attribute with Name = '{attribute}' and NameMapping = 'Logical'.");

    /// <summary>Column security on create: Dataverse's text, then which column and what grants it.</summary>
    public static OrganizationServiceFaultException SecuredColumnCreate(string entity, string attribute) =>
        new(ErrorCodes.AttributePrivilegeCreateIsMissing,
            "The user does not have create permissions to a secured field. The requested operation could not be completed. " +
            $"('{attribute}' of {entity} is a secured column: only a caller with a role that has column access, ca_readsecuredcolumns, sets it.)");

    /// <summary>Column security on update: Dataverse's text, then which column and what grants it.</summary>
    public static OrganizationServiceFaultException SecuredColumnUpdate(string entity, string attribute) =>
        new(ErrorCodes.AttributePermissionUpdateIsMissingDuringUpdate,
            "The user doesn't have AttributePrivilegeUpdate and not granted shared access for a secured attribute during update operation. " +
            $"('{attribute}' of {entity} is a secured column: only a caller with a role that has column access, ca_readsecuredcolumns, changes it.)");

    /// <summary>A table only the server writes (the webhook's messages): callers read it, never write it.</summary>
    public static OrganizationServiceFaultException WrittenOnlyBy(string entity, string writer) =>
        new(ErrorCodes.NotSupported,
            $"Records of '{entity}' are written only by {writer}; callers can read them (Retrieve, RetrieveMultiple) but not create, update, delete, assign or share them.");

    /// <summary>The request lost a deadlock (or a like conflict) with another one, at every try: nothing it did was kept.</summary>
    public static OrganizationServiceFaultException TransientConflict() =>
        new(ErrorCodes.SqlError,
            "Generic SQL error. This request and another one running at the same time waited on each other's rows, and the database " +
            "ended this one to let the other finish. Nothing this request did was kept; send it again.");

    public static OrganizationServiceFaultException UnsupportedRequest(string requestName) =>
        new(ErrorCodes.UnsupportedRequest, $"The request '{requestName}' is not supported by ChannelAccounts for this table.");
}
