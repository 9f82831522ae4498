using ChannelAccounts.Sdk.Faults;

namespace ChannelAccounts.Server.WebApi.Errors;

/// <summary>The HTTP status Dataverse's Web API gives each error code (research §5); unlisted codes are the caller's 400.</summary>
public static class ErrorStatusMap
{
    private static readonly Dictionary<int, int> StatusByCode = new()
    {
        [ErrorCodes.ObjectDoesNotExist] = StatusCodes.Status404NotFound,
        [ErrorCodes.ResourceNotFound] = StatusCodes.Status404NotFound,
        [ErrorCodes.PrivilegeDenied] = StatusCodes.Status403Forbidden,
        [ErrorCodes.AccessDenied] = StatusCodes.Status403Forbidden,
        [ErrorCodes.AttributePrivilegeCreateIsMissing] = StatusCodes.Status403Forbidden,
        [ErrorCodes.AttributePermissionUpdateIsMissingDuringUpdate] = StatusCodes.Status403Forbidden,
        [ErrorCodes.Unauthorized] = StatusCodes.Status401Unauthorized,
        [ErrorCodes.DuplicateRecord] = StatusCodes.Status412PreconditionFailed,
        [ErrorCodes.ConcurrencyVersionMismatch] = StatusCodes.Status412PreconditionFailed,
        [ErrorCodes.RequestTooLarge] = StatusCodes.Status413PayloadTooLarge,
        [ErrorCodes.NotSupported] = StatusCodes.Status405MethodNotAllowed,
        [ErrorCodes.UnexpectedError] = StatusCodes.Status500InternalServerError,
        // A request the database ended to resolve a deadlock with another: the conflict is the cause, and sending it again the cure.
        [ErrorCodes.SqlError] = StatusCodes.Status409Conflict,
    };

    public static int StatusFor(int errorCode) =>
        StatusByCode.TryGetValue(errorCode, out var status) ? status : StatusCodes.Status400BadRequest;
}
