using ChannelAccounts.Sdk.Faults;

namespace ChannelAccounts.Server.WebApi.Errors;

/// <summary>A protocol-level mistake (wrong verb, bad header, body too large) with the HTTP status Dataverse uses for it.</summary>
public sealed class WebApiException(int statusCode, int errorCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public int ErrorCode { get; } = errorCode;

    /// <summary>
    /// The error code as written, when it is not the hex of ErrorCode: Dataverse's routing layer answers a URL no
    /// resource matches with an empty code ("code":"").
    /// </summary>
    public string? CodeText { get; init; }

    public static WebApiException NoResource(string uri) =>
        new(StatusCodes.Status404NotFound, ErrorCodes.None, $"No HTTP resource was found that matches the request URI '{uri}'.") { CodeText = "" };

    /// <summary>The methods the resource allows, for the Allow header of a 405 (RFC 9110 asks for it); null otherwise.</summary>
    public string? Allow { get; init; }

    public static WebApiException MethodNotAllowed(string method, string what, params string[] allowed) =>
        new(StatusCodes.Status405MethodNotAllowed, ErrorCodes.NotSupported,
            $"The HTTP method '{method}' is not supported for {what}; use {(allowed.Length == 1 ? allowed[0] : string.Join(", ", allowed[..^1]) + " or " + allowed[^1])}.")
        {
            Allow = string.Join(", ", allowed),
        };

    /// <summary>A URL over Dataverse's limit; a $batch carries such a request in its body.</summary>
    public static WebApiException UrlTooLong(int length, int limit) =>
        new(StatusCodes.Status414UriTooLong, ErrorCodes.None,
            $"The request URL is {length:N0} characters long; at most {limit:N0} are accepted. Send the request inside a $batch "
            + "(POST [Organization URI]/api/data/v9.2/$batch), where its URL is part of the body, or shorten the query.");

    public static WebApiException BadRequest(string message) => new(StatusCodes.Status400BadRequest, ErrorCodes.None, message);

    /// <summary>
    /// No media range of Accept admits a JSON body: Microsoft.OData.Core's ODataContentTypeException, answered 406 as
    /// OData JSON Format §4.4 and RFC 9110 §15.5.7 direct.
    /// </summary>
    public static WebApiException NotAcceptable(string message) => new(StatusCodes.Status406NotAcceptable, ErrorCodes.None, message);

    /// <summary>The body's id disagrees with the key that names the record (a PATCH's URL, a bulk target's @odata.id).</summary>
    public static WebApiException IdMismatch(string primaryIdAttribute, Guid bodyId, string keyPlace, Guid key) =>
        BadRequest($"The {primaryIdAttribute} in the body ({bodyId}) differs from the key in {keyPlace} ({key}); a record's id cannot change: "
            + $"leave {primaryIdAttribute} out or give the same id.");

    public static WebApiException Payload(string entitySet, string detail) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidPayload,
            $"Error identified in Payload provided by the user for Entity :'{entitySet}'  ---->  InnerException : Microsoft.OData.ODataException: {detail}");
}
