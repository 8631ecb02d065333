using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace SamAudio.Worker.Tests.Telemetry;

/// <summary>
/// The receiving end of OTLP over HTTP/protobuf, as a collector serves it: accepts POSTs to <c>/v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c>, answers 200, and keeps each request body by path.
/// </summary>
internal sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public OtlpReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>Request bodies by path (<c>/v1/traces</c>, ...).</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<byte[]>> Received { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<byte[]> Bodies(string path) => Received.TryGetValue(path, out var bodies) ? [.. bodies] : [];

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Received.GetOrAdd(context.Request.Url!.AbsolutePath, _ => new()).Enqueue(body.ToArray());
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
