using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ExamNetWatch.Dashboard.Tests.Support;

/// <summary>
/// A minimal SMTP receiver on 127.0.0.1 (RFC 5321 commands a client needs to hand over a message, no auth; STARTTLS,
/// RFC 3207, when given a certificate), keeping each message's raw DATA for the test to read.
/// </summary>
public sealed class LocalSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _certificate;
    private readonly Task _loop;

    /// <param name="certificate">With a certificate (and its key), EHLO offers STARTTLS and the server upgrades on it.</param>
    public LocalSmtpServer(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
        _loop = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Gets the messages received: recipients and the raw message.</summary>
    public ConcurrentQueue<(IReadOnlyList<string> To, string Data)> Messages { get; } = new();

    /// <summary>Gets, per message received, the TLS protocol of its connection (null: in the clear).</summary>
    public ConcurrentQueue<System.Security.Authentication.SslProtocols?> Protocols { get; } = new();

    /// <summary>Gets how many times a client asked for STARTTLS.</summary>
    public int StartTlsRequests => Volatile.Read(ref _startTlsRequests);

    private int _startTlsRequests;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.UTF8);
        var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
        System.Security.Authentication.SslProtocols? protocol = null;
        try
        {
            await writer.WriteLineAsync("220 localhost test SMTP");
            var to = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
                switch (command)
                {
                    case "EHLO":
                        await writer.WriteLineAsync("250-localhost");
                        if (_certificate is not null && protocol is null)
                        {
                            await writer.WriteLineAsync("250-STARTTLS");
                        }

                        await writer.WriteLineAsync("250 8BITMIME");
                        break;
                    case "STAR" when _certificate is not null && protocol is null && line.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase):
                        Interlocked.Increment(ref _startTlsRequests);
                        await writer.WriteLineAsync("220 ready to start TLS");
                        var tls = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: false);
                        try
                        {
                            await tls.AuthenticateAsServerAsync(_certificate);
                        }
                        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
                        {
                            await tls.DisposeAsync();
                            return;
                        }

                        // RFC 3207: after the handshake the session starts again from nothing.
                        protocol = tls.SslProtocol;
                        stream = tls;
                        reader = new StreamReader(stream, Encoding.UTF8);
                        writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
                        to.Clear();
                        break;
                    case "HELO" or "MAIL" or "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "RCPT":
                        to.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Trim('<', '>'));
                        await writer.WriteLineAsync("250 OK");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } body && body != ".")
                        {
                            data.Append(body.StartsWith("..", StringComparison.Ordinal) ? body[1..] : body).Append("\r\n");
                        }

                        Messages.Enqueue((to.ToList(), data.ToString()));
                        Protocols.Enqueue(protocol);
                        to.Clear();
                        await writer.WriteLineAsync("250 OK queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    default:
                        await writer.WriteLineAsync("502 not implemented");
                        break;
                }
            }
        }
        catch (IOException)
        {
            // The client went away (a refused certificate closes the connection mid-session).
        }
        finally
        {
            await writer.DisposeAsync();
            reader.Dispose();
        }
    }
}
