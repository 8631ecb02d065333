using System.Text;

namespace SamAudio.Worker.Tests.Telemetry;

/// <summary>
/// Just enough of the protobuf wire format to read what an OTLP/HTTP exporter sends (opentelemetry-proto: trace,
/// metrics and logs services), so a test can check the worker's export as a collector receives it.
/// </summary>
internal static class OtlpMessages
{
    /// <summary>A span as exported: ids, name, the scope (activity source) it came from, string attributes and link trace ids.</summary>
    public sealed record Span(string Scope, byte[] TraceId, byte[] SpanId, byte[] ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<byte[]> LinkTraceIds);

    /// <summary>ExportTraceServiceRequest: resource_spans (1) → scope_spans (2) → scope (1) name (1), spans (2).</summary>
    public static IEnumerable<Span> Spans(byte[] request)
    {
        foreach (var resourceSpans in Messages(request, 1))
        {
            foreach (var scopeSpans in Messages(resourceSpans, 2))
            {
                string scope = Messages(scopeSpans, 1).Select(s => Text(s, 1)).FirstOrDefault() ?? "";
                foreach (var span in Messages(scopeSpans, 2))
                {
                    // Span: trace_id 1, span_id 2, parent_span_id 4, name 5, attributes 9 (KeyValue), links 13 (Link: trace_id 1).
                    yield return new Span(scope, Bytes(span, 1), Bytes(span, 2), Bytes(span, 4), Text(span, 5), Attributes(span, 9),
                        [.. Messages(span, 13).Select(link => Bytes(link, 1))]);
                }
            }
        }
    }

    /// <summary>ExportMetricsServiceRequest: resource_metrics (1) → scope_metrics (2) → metrics (2) → name (1).</summary>
    public static IEnumerable<string> MetricNames(byte[] request) =>
        Messages(request, 1).SelectMany(r => Messages(r, 2)).SelectMany(s => Messages(s, 2)).Select(m => Text(m, 1));

    /// <summary>ExportLogsServiceRequest: resource_logs (1) → scope_logs (2) → log_records (2): body (5, AnyValue) and trace_id (9).</summary>
    public static IEnumerable<(string Body, byte[] TraceId)> Logs(byte[] request) =>
        Messages(request, 1).SelectMany(r => Messages(r, 2)).SelectMany(s => Messages(s, 2))
            .Select(log => (Messages(log, 5).Select(v => Text(v, 1)).FirstOrDefault() ?? "", Bytes(log, 9)));

    private static Dictionary<string, string> Attributes(byte[] message, int field)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Messages(message, field))
        {
            // KeyValue: key 1, value 2 (AnyValue: string_value 1, int_value 3 as varint); other kinds are left out.
            var value = Messages(pair, 2).FirstOrDefault();
            if (value is null) continue;
            var fields = Fields(value).ToList();
            if (fields.FirstOrDefault(f => f.Number == 1) is { Bytes: { } text }) attributes[Text(pair, 1)] = Encoding.UTF8.GetString(text);
            else if (fields.FirstOrDefault(f => f.Number == 3) is { Bytes: null } number) attributes[Text(pair, 1)] = number.Varint.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return attributes;
    }

    private static IEnumerable<byte[]> Messages(byte[] message, int field) =>
        Fields(message).Where(f => f.Number == field && f.Bytes is not null).Select(f => f.Bytes!);

    private static string Text(byte[] message, int field) => Encoding.UTF8.GetString(Bytes(message, field));

    private static byte[] Bytes(byte[] message, int field) => Messages(message, field).FirstOrDefault() ?? [];

    private readonly record struct Field(int Number, byte[]? Bytes, ulong Varint);

    private static IEnumerable<Field> Fields(byte[] message)
    {
        int at = 0;
        while (at < message.Length)
        {
            ulong key = ReadVarint(message, ref at);
            int number = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    yield return new Field(number, null, ReadVarint(message, ref at));
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    int length = (int)ReadVarint(message, ref at);
                    yield return new Field(number, message[at..(at + length)], 0);
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"wire type {key & 7} at byte {at}: not a protobuf message this reader knows");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
