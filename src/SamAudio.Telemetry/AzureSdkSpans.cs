using System.Diagnostics;
using OpenTelemetry;

namespace SamAudio.Telemetry;

/// <summary>
/// The Azure SDK's own spans (<c>BlobClient.Upload</c>, <c>QueueClient.ReceiveMessages</c>, ... from the sources
/// <c>Azure.*</c>) are kept only inside a SamAudio span, where they say which storage call a shard or an ingestion waited
/// on. A worker polls its queue every second while it drains; each empty receive would otherwise be a trace of its own
/// (and, in Application Insights, a billed dependency) that says nothing.
/// </summary>
internal sealed class AzureSdkSpans : BaseProcessor<Activity>
{
    /// <summary>The sources to trace: every Azure client library's.</summary>
    public const string Sources = "Azure.*";

    /// <summary>The Azure.Core switch that makes its clients start <see cref="ActivitySource"/> spans (off by default).</summary>
    public const string Switch = "Azure.Experimental.EnableActivitySource";

    public override void OnStart(Activity data)
    {
        if (data.Parent is null && data.ParentSpanId == default && data.Source.Name.StartsWith("Azure.", StringComparison.Ordinal))
        {
            // Not exported: exporters skip spans that are not recorded, and the children of an unrecorded span are not sampled.
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
        }
    }
}
