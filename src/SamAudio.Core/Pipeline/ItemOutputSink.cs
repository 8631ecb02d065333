using System.Diagnostics;
using SamAudio.Core.Activity;
using SamAudio.Core.Segmentation;

namespace SamAudio.Core.Pipeline;

/// <summary>
/// Receives the separated stream of one item at the model's rate: writes each requested target and residual
/// to its WAV writer and feeds each prompt's activity detector with the target and the mixture.
/// </summary>
internal sealed class ItemOutputSink : ISeparatedSink, IDisposable
{
    private readonly IReadOnlyList<ItemPrompt> _prompts;
    private readonly IItemOutput?[] _targets;
    private readonly IItemOutput?[] _residuals;
    private readonly ActivityDetector[] _activity;
    private long _ticks;

    public ItemOutputSink(IReadOnlyList<ItemPrompt> prompts, Func<ItemPrompt, string, IItemOutput> openWriter, Func<ActivityDetector> newDetector)
    {
        _prompts = prompts;
        _targets = new IItemOutput?[prompts.Count];
        _residuals = new IItemOutput?[prompts.Count];
        _activity = new ActivityDetector[prompts.Count];
        try
        {
            for (int p = 0; p < prompts.Count; p++)
            {
                _targets[p] = prompts[p].WriteTarget ? openWriter(prompts[p], "target") : null;
                _residuals[p] = prompts[p].WriteResidual ? openWriter(prompts[p], "residual") : null;
                _activity[p] = newDetector();
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, _ticks);

    public IReadOnlyList<ActivityDetector> Activity => _activity;

    public void Write(ReadOnlySpan<float> mixture, ReadOnlySpan<float> targets, ReadOnlySpan<float> residuals, int count)
    {
        long start = Stopwatch.GetTimestamp();
        for (int p = 0; p < _prompts.Count; p++)
        {
            var target = targets.Slice(p * count, count);
            _targets[p]?.Write(target);
            _residuals[p]?.Write(residuals.Slice(p * count, count));
            _activity[p].Add(mixture, target);
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
    }
}
