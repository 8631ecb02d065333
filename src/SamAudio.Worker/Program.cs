using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SamAudio.Inference.Packs;
using SamAudio.Storage;
using SamAudio.Telemetry;
using SamAudio.Worker;
using SamAudio.Worker.BlobStorage;
using SamAudio.Worker.Health;
using SamAudio.Worker.Processing;
using SamAudio.Worker.Queue;
using SamAudio.Worker.Telemetry;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine("""
        samaudio-worker: separates the work items of a SamAudio queue and writes the outputs to Blob Storage.

        Usage: samaudio-worker [--drain] [--connection STRING]

          --drain              Run until the queue holds no message, visible or invisible, then exit 0 (tests, local
                               runs). Without it the worker stops when no message is visible (a Container Apps job).
          --connection STRING  Storage connection string (default: the SamAudioStorage setting).

        Settings (environment): SamAudioStorage (or SamAudioStorage__blobServiceUri, __queueServiceUri, __credential,
        __clientId), SamAudioWorkQueue, SamAudioLeaseSeconds (300), SamAudioMaxAttempts (5), SamAudioConcurrency (1),
        SamAudioModels (extra model pack folders), SamAudioJobContainer, SamAudioRecordingContainer,
        SamAudioTelemetry (none, console, otlp with OTEL_EXPORTER_OTLP_*, azuremonitor with
        APPLICATIONINSIGHTS_CONNECTION_STRING), SamAudioHealthPort (8080; 0: off), SamAudioHealthTimeoutSeconds.
        """);
    return 0;
}

int connectionAt = Array.IndexOf(args, "--connection");
string? connection = connectionAt >= 0 && connectionAt + 1 < args.Length ? args[connectionAt + 1] : null;
var builder = Host.CreateApplicationBuilder(args);
var options = WorkerOptions.FromSettings(key => builder.Configuration[key], connection, drain: args.Contains("--drain"));
builder.Services.AddSamAudioTelemetry(builder.Configuration, "samaudio-worker", WorkerTelemetry.Name); // before any Azure client
var clients = new StorageClientFactory(options.Connection);
var blobs = clients.CreateBlobServiceClient();
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(new WorkerTelemetry());
builder.Services.AddSingleton(new LoopHeartbeat(options.LivenessWindow));
builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<HealthEndpoint>(sp, options.HealthPort));
builder.Services.AddSingleton(new ModelCatalog([.. options.ModelFolders, .. ModelCatalog.Default.Roots]));
builder.Services.AddSingleton<IWorkerStore>(new BlobWorkerStore(blobs, options.Storage.JobContainer, options.TemporaryFolder));
var poison = clients.CreateQueueClient(StorageOptions.PoisonQueueOf(options.Queue));
var queue = clients.CreateQueueClient(options.Queue, args => QueueWorker.MoveUndecodableAsync(args, poison));
builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<QueueWorker>(sp, queue, poison));
await builder.Build().RunAsync();
return 0;
