using System.Diagnostics;
using System.Globalization;
using NAudio.Wave;
using SamAudio.Core.Activity;
using SamAudio.Core.Audio;
using SamAudio.Core.Segmentation;
using SamAudio.Core.Separation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// The data path of one item, or of one shard of it: decode (streaming) -> the span's frames -> channel select or
/// downmix -> resample to the model rate -> segmented separation -> audio outputs and activity frames. The local
/// run separates an item as its one whole shard (<see cref="ShardSpan.Whole"/>); a worker runs the same code on a
/// shard of the <see cref="ShardGrid"/>, so shards put end to end are the same bytes as the whole run.
/// </summary>
public sealed class ShardSeparator
{
    private readonly ISeparationEngine _engine;
    private readonly ActivityOptions _activity;

    /// <summary>Separates with <paramref name="engine"/>; without <paramref name="activity"/>, activity is found with the model pack's settings, else the defaults.</summary>
    public ShardSeparator(ISeparationEngine engine, ActivityOptions? activity = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        _engine = engine;
        _activity = activity ?? engine.Description.Activity ?? ActivityOptions.Defaults;
    }

    /// <summary>
    /// Separates the span of <paramref name="reader"/> that <paramref name="request"/> names. Every audio output is
    /// written through a writer from <paramref name="openOutput"/> but left unfinished: the caller makes its checks
    /// and then calls <see cref="SeparatedShard.CompleteAsync"/>, or disposes the result to drop everything.
    /// <paramref name="progress"/> gets the seconds of the span done so far.
    /// </summary>
    public Task<SeparatedShard> SeparateAsync(
        IAudioReader reader, ShardRequest request, ShardOutputFactory openOutput, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        SeparateAsync(reader, request, openOutput, engineReady: null, progress, cancellationToken);

    /// <summary>
    /// As the public overload; decoding starts at once, but the engine is first called (prompts encoded, windows
    /// separated) once <paramref name="engineReady"/> completes: the item before it in a batch is done with the engine.
    /// </summary>
    internal async Task<SeparatedShard> SeparateAsync(
        IAudioReader reader, ShardRequest request, ShardOutputFactory openOutput, Task? engineReady, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(openOutput);
        var info = reader.Info;
        var span = request.Span;
        var description = _engine.Description;
        var warnings = new List<string>();
        var timings = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!request.Channel.IsMix && request.Channel.ChannelIndex >= info.Channels)
        {
            throw new ArgumentException($"channel {request.Channel} was asked for, but the recording has {info.Channels} channel(s) (0..{info.Channels - 1}); use \"mix\" or a valid index.");
        }

        reader.SeekToFrame(span.ReadStartFrame);
        var checkedInput = new NonFiniteInputCheck(
            new FrameRangeSource(reader, span.ReadEndFrame - span.ReadStartFrame), request.RecordingName, request.NonFinite, span.ReadStartFrame, span.StartFrame, span.EndFrame);
        ISampleProvider source = checkedInput;
        if (info.Channels > 1)
        {
            warnings.Add(request.Channel.IsMix ? $"downmixed {info.Channels} channels to mono" : $"used channel {request.Channel} of {info.Channels}");
        }

        source = new ChannelSelector(source, request.Channel);
        int modelRate = description.SampleRate;
        bool resampleBack = request.OutputRate == OutputRateMode.Source && info.SampleRate != modelRate;
        int outputRate = resampleBack ? info.SampleRate : modelRate;

        // At the recording's rate only the target is brought back up; each residual is the selected mixture (these
        // very samples, tapped before the down-sampler) minus that target, so nothing above the model's band is lost.
        // Faithful outputs mask the mixture at the output rate: tapped here at the recording's rate, after the
        // down-sampler at the model's.
        bool faithful = request.Faithful;
        var mixture = (faithful ? outputRate == info.SampleRate : resampleBack && request.Prompts.Any(p => p.WriteResidual)) ? new MixtureTap(source) : null;
        source = mixture ?? source;
        Resampler? down = null;
        if (info.SampleRate != modelRate)
        {
            warnings.Add($"resampled from {info.SampleRate} Hz to the model's {modelRate} Hz");
            source = down = new Resampler(source, modelRate, Dsp.ResamplingDesign.ModelInput);
        }

        if (faithful && mixture is null)
        {
            mixture = new MixtureTap(source);
            source = mixture;
        }

        var segmentation = request.Segmentation(description) with { StartSample = ToModel(span.ReadStartFrame, info.SampleRate, modelRate) };
        PromptBatch? prompts = null;
        async ValueTask<PromptBatch> EncodePromptsAsync(CancellationToken token)
        {
            if (engineReady is not null)
            {
                long tWait = Stopwatch.GetTimestamp();
                await engineReady.WaitAsync(token).ConfigureAwait(false);
                timings["engineWait"] = Stopwatch.GetElapsedTime(tWait).TotalSeconds;
            }

            progress?.Report(0); // only now: a batch reports its items one after another, as the engine serves them

            prompts = await _engine.EncodePromptsAsync(request.Prompts.Select(p => p.Text).ToList(), token).ConfigureAwait(false);
            if (request.Prompts.FirstOrDefault(p => p.Spans.Count > 0) is { } spanned)
            {
                if (!_engine.TakesSpanPrompts)
                {
                    throw new ArgumentException(
                        $"prompt '{spanned.Text}' has 'present'/'absent' spans, but model {description.ModelId} does not take span prompts " +
                        "(only SAM-Audio packs whose dit_velocity has the anchor_ids and anchor_alignment inputs do); re-export the pack with " +
                        "models/sam-audio/export.py of this version, or remove 'present' and 'absent' from the prompt");
                }

                prompts = prompts.WithSpans(request.Prompts.Select(p => p.Spans).ToList());
            }

            warnings.AddRange(UnfamiliarPromptWarnings(prompts, description.ModelId));
            return prompts;
        }

        // The span's own samples at the model's rate, after its context (whole numbers on the shard grid).
        bool last = span.Index == span.Count - 1;
        long skipModel = ToModel(span.StartFrame - span.ReadStartFrame, info.SampleRate, modelRate);
        long keepModel = last ? long.MaxValue : ToModel(span.Frames, info.SampleRate, modelRate);

        // Each prompt's activity frames are sized once for the span instead of growing by doubling as it goes on.
        long readFrames = span.ReadEndFrame - span.ReadStartFrame;
        long activitySamples = Math.Max(0, Math.Min(keepModel, ToModel(readFrames, info.SampleRate, modelRate) - skipModel));

        // Each output at the recording's rate lets the model run up to two windows ahead of its writer (less for a
        // shorter span); its queue is allocated once, never per window.
        int queueSamples = (int)Math.Min(2L * segmentation.WindowSamples, ToModel(readFrames, info.SampleRate, modelRate) + 16);
        IItemOutput Open(ItemPrompt prompt, string kind) =>
            new ModelRateOutput(Checked(prompt, kind, last ? null : keepModel), modelRate, skipModel, keepModel);

        // At the recording's rate a prompt's target is resampled once, for its target and its residual together.
        SourceRateOutput OpenAtSource(ItemPrompt prompt)
        {
            var target = prompt.WriteTarget ? Checked(prompt, "target", span.Frames) : null;
            ISampleWriter? residual = null;
            QueuedSampleSource? tapped = null;
            try
            {
                residual = prompt.WriteResidual ? Checked(prompt, "residual", span.Frames) : null;
                tapped = residual is null ? null : mixture!.Subscribe(MixtureTap.Capacity(segmentation, info.SampleRate, modelRate, readFrames));
                return new SourceRateOutput(target, residual, modelRate, outputRate, span.StartFrame - span.ReadStartFrame, span.Frames, tapped, queueSamples);
            }
            catch
            {
                target?.Dispose();
                residual?.Dispose();
                tapped?.Complete();
                throw;
            }
        }

        FaithfulOutputs OpenFaithful(ItemPrompt prompt)
        {
            // The stream at the output rate: where it starts in the recording, its context, and the frames to write.
            bool atSource = outputRate == info.SampleRate;
            long first = atSource ? span.ReadStartFrame : segmentation.StartSample;
            long skip = atSource ? span.StartFrame - span.ReadStartFrame : skipModel;
            long frames = atSource ? span.Frames
                : Math.Min(keepModel, Resampler.OutputFrames(readFrames, info.SampleRate, modelRate) - skipModel);
            long readOutput = atSource ? readFrames : ToModel(readFrames, info.SampleRate, modelRate);
            var tapped = mixture!.Subscribe(MixtureTap.Capacity(segmentation, atSource ? info.SampleRate : modelRate, modelRate, readOutput));
            long written = Math.Max(0, frames);
            var target = prompt.WriteTarget ? Checked(prompt, "target", written) : null;
            try
            {
                var residual = prompt.WriteResidual ? Checked(prompt, "residual", written) : null;
                return new FaithfulOutputs(target, residual, modelRate, outputRate, tapped, first, skip, written, queueSamples);
            }
            catch
            {
                target?.Dispose();
                tapped.Complete();
                throw;
            }
        }

        ISampleWriter Checked(ItemPrompt prompt, string kind, long? frames) =>
            new FiniteOutputCheck(openOutput(prompt, kind, outputRate, frames), $"{prompt.Slug}.{kind}.wav", outputRate);

        Func<ItemPrompt, IPromptOutputs>? openPair = faithful ? OpenFaithful : resampleBack ? OpenAtSource : null;
        var sink = new ItemOutputSink(request.Prompts, Open, () => new ActivityFrames(modelRate, _activity, activitySamples), skipModel, keepModel, openPair);
        try
        {
            var timed = new TimedEngine(_engine);
            double total = span.Frames / (double)info.SampleRate;
            double contextSeconds = skipModel / (double)modelRate;
            var windowProgress = progress is null ? null
                : new SynchronousProgress<long>(n => progress.Report(Math.Clamp((n / (double)modelRate) - contextSeconds, 0, total)));
            long t0 = Stopwatch.GetTimestamp();
            try
            {
                // Decoding starts here; the engine's first call waits in EncodePromptsAsync for its turn.
                await new SegmentedSeparator(timed, segmentation).RunAsync(source, EncodePromptsAsync, sink, windowProgress, mixture is null ? null : mixture.Complete, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Decoding has stopped (RunAsync waits for it): the residuals' mixture ends here even if it stopped early.
                mixture?.Complete();
                down?.Dispose();
            }

            timings["separate"] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            timings["model"] = timed.Elapsed.TotalSeconds;
            timings["write"] = sink.Elapsed.TotalSeconds;
            warnings.AddRange(reader.Warnings);
            if (checkedInput.Warning() is { } replaced)
            {
                warnings.Add(replaced);
            }

            return new SeparatedShard(sink, prompts!, modelRate, outputRate, warnings, timings);
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    private static long ToModel(long sourceFrames, int sourceRate, int modelRate) => sourceFrames * modelRate / sourceRate;

    private static IEnumerable<string> UnfamiliarPromptWarnings(PromptBatch prompts, string model) =>
        (prompts.Interpretations ?? []).Select((reading, i) => (reading, text: prompts.Texts[i]))
            .Where(p => p.reading.Reading == PromptInterpretation.Unfamiliar)
            .Select(p => string.Create(CultureInfo.InvariantCulture,
                $"prompt '{p.text}' is unlike every sound {model} was trained on (nearest: '{p.reading.Captions[0]}', {p.reading.Class}, " +
                $"similarity {p.reading.Similarity:F2}); expect little or no separation, or name a sound from the model card"));
}

/// <summary>
/// Opens the writer of one audio output (<paramref name="kind"/> <c>target</c> or <c>residual</c>) at
/// <paramref name="sampleRate"/>; <paramref name="frames"/> is exactly what will be written, where that is known before
/// the first sample (then a WAV writer can finish its header first and hash the file as it goes).
/// </summary>
public delegate ISampleWriter ShardOutputFactory(ItemPrompt prompt, string kind, int sampleRate, long? frames);

/// <summary>What to separate: the prompts and parameters of an item, and which span of it.</summary>
public sealed record ShardRequest
{
    public required IReadOnlyList<ItemPrompt> Prompts { get; init; }

    public ChannelSelection Channel { get; init; } = ChannelSelection.Mix;

    /// <summary>Window length; null for the model pack's preferred length.</summary>
    public double? SegmentSeconds { get; init; }

    /// <summary>Window overlap; null for the model pack's preferred overlap.</summary>
    public double? OverlapSeconds { get; init; }

    public OutputRateMode OutputRate { get; init; } = OutputRateMode.Source;

    /// <summary>
    /// Faithful outputs: the generated target and residual only decide a ratio mask on the mixture's STFT at the output
    /// rate, so the outputs sum to the mixture and the target never holds more than was recorded (decision 0006).
    /// </summary>
    public bool Faithful { get; init; }

    /// <summary>
    /// Takes the steady background (wind, rain, hum) out of every target, window by window, into the residuals (decision
    /// 0010; <c>parameters.background</c> in run.json); null keeps the targets as the model made them.
    /// </summary>
    public Dsp.BackgroundSuppressionOptions? Background { get; init; }

    /// <summary>The recording as the user named it, for messages (for example a non-finite sample's time).</summary>
    public string RecordingName { get; init; } = "the recording";

    /// <summary>What to do with NaN or infinite input samples; by default the request fails.</summary>
    public NonFiniteSamples NonFinite { get; init; } = NonFiniteSamples.Fail;

    /// <summary>The frames to produce and to read, absolute in the recording.</summary>
    public required ShardSpan Span { get; init; }

    /// <summary>
    /// The windows this request uses with the engine described by <paramref name="model"/>
    /// (<see cref="SegmentationOptions.Resolve"/>).
    /// </summary>
    /// <exception cref="ArgumentException">When the overlap set is more than half of the window.</exception>
    public SegmentationOptions Segmentation(EngineDescription model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (segment, overlap) = SegmentationOptions.Resolve(SegmentSeconds, OverlapSeconds, model.SegmentSeconds, model.OverlapSeconds);
        if (overlap > segment / 2)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"overlapSeconds {overlap} is more than half of the window ({segment} s, {(SegmentSeconds is null ? $"{model.ModelId}'s preferred length" : "segmentSeconds")}); use at most {segment / 2} or set segmentSeconds"));
        }

        return SegmentationOptions.FromSeconds(segment, overlap, model.SampleRate) with { Background = Background };
    }
}
