namespace SamAudio.Core.Pipeline;

/// <summary>
/// One prompt's target and residual, written together from one stream by a thread of their own: each file is an
/// <see cref="IItemOutput"/> to complete (null when not asked for), but samples go in through <see cref="Write"/> only.
/// </summary>
internal interface IPromptOutputs : IDisposable
{
    /// <summary>The target's file as an output of the item, or null.</summary>
    IItemOutput? Target { get; }

    /// <summary>The residual's file as an output of the item, or null.</summary>
    IItemOutput? Residual { get; }

    /// <summary>Takes the prompt's next target and residual samples at the model's rate.</summary>
    void Write(ReadOnlySpan<float> target, ReadOnlySpan<float> residual);
}
