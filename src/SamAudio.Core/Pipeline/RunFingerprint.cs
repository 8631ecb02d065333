using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SamAudio.Core.Audio;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// A SHA-256 over everything that decides an item's output bytes: the model's files, the recording's
/// identity (name, size, modification time, expected hash) and every parameter. <c>--resume</c> skips an item
/// only when its recorded fingerprint is equal.
/// </summary>
public static class RunFingerprint
{
    /// <summary>
    /// Raised whenever the pipeline's own arithmetic changes output bytes for the same inputs, so that <c>--resume</c>
    /// redoes items made by an earlier version instead of mixing the two in one job. 2: the resamplers keep 97 % of
    /// the model's band (decision 0008). 3: integer-ratio resampling by blocks of fast convolution, the same filter
    /// to float rounding (decision 0009). Earlier versions appended nothing.
    /// </summary>
    public const int PipelineVersion = 3;

    public static string Compute(EngineDescription model, SeparationRequest request)
    {
        var file = new FileInfo(request.RecordingPath);

        // The windows the run uses, not how they were asked for: an item that leaves them to a pack preferring
        // 10 s / 2 s has the fingerprint of one that sets 10 s / 2 s (what every item got before windows were nullable).
        var (segmentSeconds, overlapSeconds) = SegmentationOptions.Resolve(request.SegmentSeconds, request.OverlapSeconds, model.SegmentSeconds, model.OverlapSeconds);
        var canonical = new
        {
            model = new { model.ModelId, model.Version, files = model.Files.Select(f => f.Sha256).ToArray() },
            recording = new { request.RecordingLabel, size = file.Exists ? file.Length : -1, modified = file.Exists ? file.LastWriteTimeUtc.Ticks : 0, request.ExpectedSha256 },
            prompts = request.Prompts.Select(p => new[] { p.Text, p.Slug, p.OutputName }).ToArray(),
            start = request.Start?.Ticks,
            end = request.End?.Ticks,
            channel = request.Channel.ToString(),
            SegmentSeconds = (double?)segmentSeconds,
            OverlapSeconds = (double?)overlapSeconds,
            outputRate = request.OutputRate.ToString(),
            request.Seed,
        };
        string text = JsonSerializer.Serialize(canonical);
        if (request.NonFinite != NonFiniteSamples.Fail)
        {
            text += "\nnonFinite=" + request.NonFinite; // appended only when set, so fingerprints of earlier runs still match
        }

        if (request.Faithful)
        {
            text += "\nmode=faithful"; // appended only when set, so direct runs keep their earlier fingerprints
        }

        text += BackgroundPart(request.Background);

        if (model.Sampler is { Count: > 0 } sampler)
        {
            // Only generative engines have one, so fingerprints of mask runs stay as they were.
            text += "\nsampler=" + string.Join(";", sampler.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + "=" + s.Value));
        }

        text += "\npipeline=" + PipelineVersion;
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// The fingerprint's line for background suppression (decision 0010): empty when the background is kept, so earlier
    /// fingerprints still match; every setting that shapes the output when it is taken out. The cloud worker appends the same.
    /// </summary>
    public static string BackgroundPart(Dsp.BackgroundSuppressionOptions? background) => background is null ? string.Empty
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"\nbackground=suppress;percentile={background.NoisePercentile:R};over={background.OverSubtraction:R};floorDb={background.FloorDb:R}");
}
