using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using SamAudio.Storage.Tests;
using SamAudio.Worker.Health;

namespace SamAudio.Worker.Tests.Health;

/// <summary>The liveness signal: the staleness rule on a fake clock, the endpoint in-process, and a real worker process.</summary>
public sealed class HealthEndpointTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public void Heartbeat_is_alive_within_its_window_and_stale_after_it()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var heartbeat = new LoopHeartbeat(TimeSpan.FromSeconds(200), clock);
        Assert.False(heartbeat.Started);

        clock.Advance(TimeSpan.FromSeconds(200));
        Assert.True(heartbeat.IsAlive, "starting up counts as progress");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(heartbeat.IsAlive);

        heartbeat.Beat();
        Assert.True(heartbeat.IsAlive);
        Assert.True(heartbeat.Started);
    }

    [Fact]
    public void Liveness_window_defaults_to_two_renewal_periods_and_at_least_30_seconds()
    {
        var options = WorkerOptions.FromSettings(key => key switch { "SamAudioStorage" => "UseDevelopmentStorage=true", "SamAudioLeaseSeconds" => "300", _ => null });
        Assert.Equal(TimeSpan.FromSeconds(200), options.LivenessWindow);
        Assert.Equal(8080, options.HealthPort);
        Assert.Equal(TimeSpan.FromSeconds(30), (options with { Lease = TimeSpan.FromSeconds(4) }).LivenessWindow);
        Assert.Equal(TimeSpan.FromSeconds(45), (options with { HealthTimeout = TimeSpan.FromSeconds(45) }).LivenessWindow);
    }

    [Fact]
    public async Task Healthz_answers_503_once_the_loop_has_made_no_progress_within_the_window()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var heartbeat = new LoopHeartbeat(TimeSpan.FromSeconds(200), clock);
        int port = FreePort();
        using var endpoint = new HealthEndpoint(heartbeat, port, NullLogger<HealthEndpoint>.Instance);
        await endpoint.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(port, "/healthz"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(port, "/readyz"));

            clock.Advance(TimeSpan.FromSeconds(201)); // a receive or renewal that hangs
            using var stuck = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, stuck.StatusCode);
            Assert.Contains("no receive or lease renewal for 201 s", await stuck.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            heartbeat.Beat();
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(port, "/healthz"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(port, "/readyz"));
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(port, "/"));
        }
        finally
        {
            await endpoint.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_real_worker_waiting_on_its_queue_answers_200_on_healthz()
    {
        var storage = new TestStorage();
        try
        {
            // One invisible message: a worker with --drain keeps polling until it could be taken.
            var queue = storage.Factory.CreateQueueClient(storage.Options.CpuWorkQueue);
            await queue.CreateIfNotExistsAsync();
            await queue.SendMessageAsync("held elsewhere", visibilityTimeout: TimeSpan.FromMinutes(5));
            int port = FreePort();
            var settings = ProcessSettings.Worker(storage, storage.Options);
            settings["SamAudioHealthPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var worker = WorkerProcess.Start(settings, "--drain");

            Assert.True(await worker.WaitForOutputAsync("Taking work items", TimeSpan.FromSeconds(60)), worker.Output);
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(port, "/healthz"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(port, "/readyz"));
            Assert.False(worker.HasExited, worker.Output);
        }
        finally
        {
            await storage.CleanUpAsync();
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(int port, string path)
    {
        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{port}{path}"));
        return response.StatusCode;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
