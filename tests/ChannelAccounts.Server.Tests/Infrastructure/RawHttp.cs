using System.Net.Sockets;
using System.Text;

namespace ChannelAccounts.Server.Tests.Infrastructure;

/// <summary>
/// One HTTP/1.1 exchange written byte for byte on a socket, for requests HttpClient will not send (bad framing, a short
/// body, header bytes outside ASCII). The request should say "Connection: close": the answer is read to the end.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Head, string Body)> SendAsync(Uri server, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        var response = Encoding.UTF8.GetString(buffer.ToArray());
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = response[..split];
        var body = response[(split + 4)..];
        return (status, head, head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Dechunk(body) : body);
    }

    public static Task<(int Status, string Head, string Body)> SendAsync(Uri server, string request) =>
        SendAsync(server, Encoding.UTF8.GetBytes(request));

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..lineEnd], 16);
            if (size == 0)
            {
                return result.ToString();
            }

            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }
    }
}
