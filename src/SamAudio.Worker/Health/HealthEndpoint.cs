using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SamAudio.Worker.Health;

/// <summary>
/// A tiny HTTP endpoint for the Container Apps probes (which are HTTP or TCP, never a command): <c>GET /healthz</c>
/// answers 200 while <see cref="LoopHeartbeat"/> is fresh and 503 once it is stale; <c>GET /readyz</c> answers 200
/// once the receive loop has started. An <see cref="HttpListener"/>, so the worker needs no web framework. Port 0
/// (<c>SamAudioHealthPort=0</c>) turns it off.
/// </summary>
internal sealed partial class HealthEndpoint(LoopHeartbeat heartbeat, int port, ILogger<HealthEndpoint> logger) : BackgroundService
{
    private HttpListener? _listener;

    /// <summary>Binds the port before the host counts as started, so a probe never races the first request.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (port != 0)
        {
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://+:{port.ToString(CultureInfo.InvariantCulture)}/");
            try
            {
                listener.Start();
                _listener = listener;
                Listening(logger, port);
            }
            catch (HttpListenerException ex)
            {
                // Another process holds the port (two workers on one machine): work on without the endpoint.
                CannotListen(logger, port, ex.Message);
                listener.Close();
            }
        }

        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _listener?.Close();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_listener is not { } listener)
        {
            return;
        }

        using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (stoppingToken.IsCancellationRequested && ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Answer(context);
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var (status, text) = context.Request.Url?.AbsolutePath switch
        {
            "/healthz" when heartbeat.IsAlive => (200, "alive"),
            "/healthz" => (503, $"stuck: no receive or lease renewal for {heartbeat.SinceLastBeat.TotalSeconds:F0} s (limit {heartbeat.Window.TotalSeconds:F0} s)"),
            "/readyz" when heartbeat.Started => (200, "ready"),
            "/readyz" => (503, "starting"),
            _ => (404, "not found"),
        };
        if (status == 503 && context.Request.Url?.AbsolutePath == "/healthz")
        {
            Stale(logger, heartbeat.SinceLastBeat.TotalSeconds);
        }

        byte[] body = Encoding.UTF8.GetBytes(text + "\n");
        using var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    [LoggerMessage(1, LogLevel.Information, "Health endpoint listening on port {Port} (/healthz, /readyz)")]
    private static partial void Listening(ILogger logger, int port);

    [LoggerMessage(3, LogLevel.Warning, "Health endpoint cannot listen on port {Port} ({Reason}); working on without it")]
    private static partial void CannotListen(ILogger logger, int port, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Liveness probe answered 503: no receive or lease renewal for {Seconds:F0} s")]
    private static partial void Stale(ILogger logger, double seconds);
}
