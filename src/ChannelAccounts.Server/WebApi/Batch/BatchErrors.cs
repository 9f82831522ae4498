using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi.Batch;

/// <summary>The errors of a $batch as a whole (the body cannot be read, too many requests, a bad reference): 400 before anything runs.</summary>
public static class BatchErrors
{
    public const int MaxRequests = 1000;

    public static WebApiException NotReadable(string detail) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPayload,
            $"Error identified in Payload provided by the user for Entity :''  ---->  InnerException : System.ArgumentException: Stream was not readable. {detail}");

    public static WebApiException TooManyRequests() =>
        WebApiException.BadRequest($"The batch contains more than {MaxRequests} requests; a batch may contain at most {MaxRequests} requests.");

    public static WebApiException UnknownContentId(string reference) =>
        WebApiException.BadRequest($"Content-ID Reference: '{reference}' does not exist in the batch context.");

    public static WebApiException DuplicateContentId(string id) =>
        WebApiException.BadRequest($"Content-ID '{id}' is used by two requests of one change set; give each request its own Content-ID so '${id}' names one of them.");

    public static WebApiException GetInChangeSet(string url) =>
        WebApiException.BadRequest($"The GET request '{url}' is inside a change set; a change set may only contain requests that change data (POST, PATCH, PUT, DELETE).");

    public static WebApiException Nested(string what) =>
        WebApiException.BadRequest($"A batch cannot contain {what}.");
}
