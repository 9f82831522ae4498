using System.Text.Json;
using ChannelAccounts.Sdk.Faults;
using ChannelAccounts.Server.WebApi.Errors;

namespace ChannelAccounts.Server.WebApi;

/// <summary>Reads a JSON request body within the size limit; too large is 413, unreadable is Dataverse's payload error.</summary>
public static class RequestBody
{
    public static async Task<JsonElement> ReadJsonAsync(HttpContext http, string entitySetName, long maxBytes)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw WebApiException.Payload(entitySetName, "The request body is empty; a JSON object was expected.");
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw WebApiException.Payload(entitySetName, $"Invalid JSON. {e.Message}");
        }
    }

    private static WebApiException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestTooLarge,
            $"The request body is larger than the limit of {maxBytes} bytes.");
}
