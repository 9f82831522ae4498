using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace ChannelAccounts.Server.Tests.WebApi.Batch;

/// <summary>Writes $batch request bodies the way Dataverse clients do (CRLF, application/http parts, change sets).</summary>
public sealed class BatchBody
{
    private readonly StringBuilder _text = new();

    public string Boundary { get; } = $"batch_{Guid.NewGuid():N}";

    /// <summary>A lone request outside any change set.</summary>
    public BatchBody Request(string method, string url, string? json = null, params (string Name, string Value)[] headers)
    {
        _text.Append($"--{Boundary}\r\n");
        AppendRequest(_text, method, url, json, null, headers);
        return this;
    }

    /// <summary>A change set of (method, url, json, Content-ID) requests.</summary>
    public BatchBody ChangeSet(params (string Method, string Url, string? Json, string? ContentId)[] requests) =>
        ChangeSetWithHeaders([.. requests.Select(r => (r.Method, r.Url, r.Json, r.ContentId, Array.Empty<(string, string)>()))]);

    /// <summary>A change set of requests with headers of their own (Prefer, If-Match).</summary>
    public BatchBody ChangeSetWithHeaders(params (string Method, string Url, string? Json, string? ContentId, (string Name, string Value)[] Headers)[] requests)
    {
        var changeSet = $"changeset_{Guid.NewGuid():N}";
        _text.Append($"--{Boundary}\r\nContent-Type: multipart/mixed; boundary={changeSet}\r\n\r\n");
        foreach (var (method, url, json, contentId, headers) in requests)
        {
            _text.Append($"--{changeSet}\r\n");
            AppendRequest(_text, method, url, json, contentId, headers);
        }

        _text.Append($"--{changeSet}--\r\n");
        return this;
    }

    public string Text => _text + $"--{Boundary}--\r\n";

    public HttpRequestMessage ToRequest(bool continueOnError = false, string? text = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "$batch")
        {
            Content = new StringContent(text ?? Text, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/mixed; boundary={Boundary}");
        if (continueOnError)
        {
            request.Headers.Add("Prefer", "odata.continue-on-error");
        }

        return request;
    }

    private static void AppendRequest(StringBuilder text, string method, string url, string? json, string? contentId, (string Name, string Value)[] headers)
    {
        text.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n");
        if (contentId is not null)
        {
            text.Append($"Content-ID: {contentId}\r\n");
        }

        text.Append($"\r\n{method} {url} HTTP/1.1\r\n");
        if (json is not null)
        {
            text.Append("Content-Type: application/json; type=entry\r\n");
        }

        foreach (var (name, value) in headers)
        {
            text.Append($"{name}: {value}\r\n");
        }

        text.Append($"\r\n{json}\r\n");
    }
}

/// <summary>One inner response of a $batch answer.</summary>
public sealed record BatchPart(int Status, IReadOnlyDictionary<string, string> Headers, string Body, string? ContentId, int? ChangeSet)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    public string ErrorCode => Json.GetProperty("error").GetProperty("code").GetString()!;
}

/// <summary>Reads a multipart/mixed $batch answer into its inner responses, in order.</summary>
public static class BatchAnswer
{
    public static async Task<IReadOnlyList<BatchPart>> PartsAsync(HttpResponseMessage response)
    {
        var boundary = response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');
        Assert.StartsWith("batchresponse_", boundary);
        var parts = new List<BatchPart>();
        var reader = new MultipartReader(boundary, await response.Content.ReadAsStreamAsync());
        var changeSets = 0;
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            if (section.ContentType!.StartsWith("multipart/mixed", StringComparison.Ordinal))
            {
                var inner = new MultipartReader(section.ContentType.Split("boundary=")[1], section.Body);
                Assert.StartsWith("changesetresponse_", section.ContentType.Split("boundary=")[1]);
                while (await inner.ReadNextSectionAsync() is { } part)
                {
                    parts.Add(await ReadPartAsync(part, changeSets));
                }

                changeSets++;
            }
            else
            {
                parts.Add(await ReadPartAsync(section, null));
            }
        }

        return parts;
    }

    private static async Task<BatchPart> ReadPartAsync(MultipartSection section, int? changeSet)
    {
        Assert.Equal("application/http", section.ContentType);
        Assert.Equal("binary", section.Headers!["Content-Transfer-Encoding"].ToString());
        var text = await new StreamReader(section.Body).ReadToEndAsync();
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = (split < 0 ? text : text[..split]).Split("\r\n");
        var body = split < 0 ? "" : text[(split + 4)..].TrimEnd('\r', '\n');
        var headers = head.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var contentId = section.Headers.TryGetValue("Content-ID", out var id) ? id.ToString() : null;
        return new BatchPart(int.Parse(head[0].Split(' ')[1]), headers, body, contentId, changeSet);
    }
}
