using System.Diagnostics;
using SamAudio.Core.Activity;
using SamAudio.Core.Segmentation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Receives the separated stream of one item (or shard) at the model's rate: writes each requested target and
/// residual to its output and measures each prompt's activity frames from the target and the mixture. Activity is
/// measured only over the samples the shard owns: <c>activitySkip</c> samples of context are passed over, then
/// <c>activityKeep</c> samples are measured. With <c>residualsFromTargets</c> the residual outputs are fed the
/// target too: they subtract it from the mixture at the recording's rate (<see cref="SourceRateOutput"/>). With
/// <c>openFaithful</c> each prompt's target and residual go together to its <see cref="FaithfulOutputs"/> instead.
/// </summary>
internal sealed class ItemOutputSink : ISeparatedSink, IDisposable
{
    private readonly IReadOnlyList<ItemPrompt> _prompts;
    private readonly IItemOutput?[] _targets;
    private readonly IItemOutput?[] _residuals;
    private readonly FaithfulOutputs?[] _faithful;
    private readonly ActivityFrames[] _activity;
    private readonly long _activitySkip;
    private readonly long _activityKeep;
    private readonly bool _residualsFromTargets;
    private long _position;
    private long _ticks;

    public ItemOutputSink(IReadOnlyList<ItemPrompt> prompts, Func<ItemPrompt, string, IItemOutput> openWriter, Func<ActivityFrames> newMeter,
        long activitySkip = 0, long activityKeep = long.MaxValue, bool residualsFromTargets = false, Func<ItemPrompt, FaithfulOutputs>? openFaithful = null)
    {
        _residualsFromTargets = residualsFromTargets;
        _prompts = prompts;
        _targets = new IItemOutput?[prompts.Count];
        _residuals = new IItemOutput?[prompts.Count];
        _faithful = new FaithfulOutputs?[prompts.Count];
        _activity = new ActivityFrames[prompts.Count];
        _activitySkip = activitySkip;
        _activityKeep = activityKeep;
        try
        {
            for (int p = 0; p < prompts.Count; p++)
            {
                if (openFaithful is not null)
                {
                    _faithful[p] = openFaithful(prompts[p]);
                    _targets[p] = _faithful[p]!.Target;
                    _residuals[p] = _faithful[p]!.Residual;
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
            if (_faithful[p] is { } faithful)
            {
                faithful.Write(target, residuals.Slice(p * count, count));
            }
            else
            {
                _targets[p]?.Write(target);
                _residuals[p]?.Write(_residualsFromTargets ? target : residuals.Slice(p * count, count));
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

        foreach (var f in _faithful)
        {
            f?.Dispose(); // also one whose outputs failed to open
        }
    }
}
