namespace SamAudio.Telemetry;

/// <summary>Where a SamAudio program sends its traces, metrics and logs: the <c>SamAudioTelemetry</c> setting.</summary>
public enum TelemetryExporter
{
    /// <summary><c>none</c> (the default): no OpenTelemetry at all; logs go to the console as before.</summary>
    None,

    /// <summary><c>console</c>: spans, metrics and log records printed to standard output (local runs).</summary>
    Console,

    /// <summary><c>otlp</c>: an OpenTelemetry collector, configured by the standard <c>OTEL_EXPORTER_OTLP_*</c> variables.</summary>
    Otlp,

    /// <summary><c>azuremonitor</c>: Application Insights, at <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c>.</summary>
    AzureMonitor,
}
