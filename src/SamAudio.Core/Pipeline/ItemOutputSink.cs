using System.Diagnostics;
using SamAudio.Core.Activity;
using SamAudio.Core.Segmentation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Receives the separated stream of one item (or shard) at the model's rate: writes each requested target and
/// residual to its output and measures each prompt's activity frames from the target and the mixture. Activity is
/// measured only over the samples the shard owns: <c>activitySkip</c> samples of context are passed over, then
/// <c>activityKeep</c> samples are measured. With <c>openPair</c> each prompt's target and residual go together to
/// its <see cref="IPromptOutputs"/> instead (<see cref="SourceRateOutput"/>, <see cref="FaithfulOutputs"/>).
/// </summary>
internal sealed class ItemOutputSink : ISeparatedSink, IDisposable
{
    private readonly IReadOnlyList<ItemPrompt> _prompts;
    private readonly IItemOutput?[] _targets;
    private readonly IItemOutput?[] _residuals;
    private readonly IPromptOutputs?[] _pairs;
    private readonly ActivityFrames[] _activity;
    private readonly long _activitySkip;
    private readonly long _activityKeep;
    private long _position;
    private long _ticks;

    public ItemOutputSink(IReadOnlyList<ItemPrompt> prompts, Func<ItemPrompt, string, IItemOutput> openWriter, Func<ActivityFrames> newMeter,
        long activitySkip = 0, long activityKeep = long.MaxValue, Func<ItemPrompt, IPromptOutputs>? openPair = null)
    {
        _prompts = prompts;
        _targets = new IItemOutput?[prompts.Count];
        _residuals = new IItemOutput?[prompts.Count];
        _pairs = new IPromptOutputs?[prompts.Count];
        _activity = new ActivityFrames[prompts.Count];
        _activitySkip = activitySkip;
        _activityKeep = activityKeep;
        try
        {
            for (int p = 0; p < prompts.Count; p++)
            {
                if (openPair is not null)
                {
                    _pairs[p] = openPair(prompts[p]);
                    _targets[p] = _pairs[p]!.Target;
                    _residuals[p] = _pairs[p]!.Residual;
                }
                else
                {
                    _targets[p] = prompts[p].WriteTarget ? openWriter(prompts[p], "target") : null;
                    _residuals[p] = prompts[p].WriteResidual ? openWriter(prompts[p], "residual") : null;
                }

                _activity[p] = newMeter();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    /// <summary>Each prompt's activity frames, in prompt order.</summary>
    public IReadOnlyList<ActivityFrames> Activity => _activity;

    public void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count)
    {
        long start = Stopwatch.GetTimestamp();
        int from = (int)Math.Clamp(_activitySkip - _position, 0, count);
        int to = (int)Math.Clamp(_activitySkip + _activityKeep - _position, from, count);
        _position += count;
        for (int p = 0; p < _prompts.Count; p++)
        {
            var target = targets.Slice(p * count, count);
            if (_pairs[p] is { } pair)
            {
                pair.Write(target, residuals.Slice(p * count, count));
            }
            else
            {
                _targets[p]?.Write(target);
                _residuals[p]?.Write(residuals.Slice(p * count, count));
            }

            if (to > from)
            {
                _activity[p].Add(mixture[from..to], target[from..to]);
            }
        }

        _ticks += Stopwatch.GetTimestamp() - start;
    }

    /// <summary>Every writer opened, with its prompt and kind, in prompt order.</summary>
    public IEnumerable<(ItemPrompt Prompt, string Kind, IItemOutput Output)> Writers()
    {
        for (int p = 0; p < _prompts.Count; p++)
        {
            if (_targets[p] is { } t)
            {
                yield return (_prompts[p], "target", t);
            }

            if (_residuals[p] is { } r)
            {
                yield return (_prompts[p], "residual", r);
            }
        }
    }

    /// <summary>Disposes every writer; writers not completed remove their partial files.</summary>
    public void Dispose()
    {
        foreach (var w in _targets.Concat(_residuals))
        {
            w?.Dispose();
        }

        foreach (var pair in _pairs)
        {
            pair?.Dispose(); // also one whose outputs failed to open
        }
    }
}
