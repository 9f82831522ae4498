using System.Buffers;
using System.Text.Json;

namespace ChannelAccounts.Server.WebApi.Json;

/// <summary>
/// A JSON response body that is held back until it is written whole or grows past <see cref="StreamFrom"/> bytes. A body
/// that fits goes out in one write with its Content-Length, headers and body in one send; written to the response
/// stream as it grew, a page went out chunked, its last chunk in a send of its own, and the client waited for both.
/// A body past the threshold streams from there on, so a page of 5,000 records never sits whole in memory.
/// </summary>
public sealed class JsonBody : IAsyncDisposable
{
    /// <summary>How much a body may hold back before it starts streaming.</summary>
    public const int StreamFrom = 64 * 1024;

    private readonly HttpResponse _response;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private bool _streaming;

    public JsonBody(HttpResponse response)
    {
        _response = response;
        Writer = new Utf8JsonWriter(_buffer, JsonOutput.Options);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>After each record of a collection: sends what is held once it has passed the threshold.</summary>
    public async ValueTask RecordWrittenAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount + Writer.BytesPending >= StreamFrom)
        {
            Writer.Flush();
            _streaming = true;
            await SendAsync(cancellationToken);
        }
    }

    /// <summary>The body is written: whole and with its length if it never streamed, else its last part.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        Writer.Flush();
        if (!_streaming)
        {
            _response.ContentLength = _buffer.WrittenCount;
        }

        await SendAsync(cancellationToken);
    }

    private async ValueTask SendAsync(CancellationToken cancellationToken)
    {
        await _response.Body.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }

    public ValueTask DisposeAsync() => Writer.DisposeAsync();
}
