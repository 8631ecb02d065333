using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Hosting;
using SamAudio.Functions;
using SamAudio.Storage.Ingestion;
using SamAudio.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddSamAudioStorage(builder.Configuration);

// SamAudioTelemetry (none by default): ingestion's traces, with the job id, and the worker process's logs. The host's
// own request and trigger telemetry stays with its Application Insights integration (docs/azure.md).
// The worker SDK's invocation spans (Microsoft.Azure.Functions.Worker) carry the host's trace context and parent ingestion's.
builder.Services.AddSamAudioTelemetry(builder.Configuration, "samaudio-functions", IngestionTelemetry.SourceName, "Microsoft.Azure.Functions.Worker")
    ?.UseFunctionsWorkerDefaults();
builder.Build().Run();
