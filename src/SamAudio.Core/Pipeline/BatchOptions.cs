namespace SamAudio.Core.Pipeline;

/// <summary>How a batch runs: where outputs go, whether finished items are kept, output rate and sampler defaults.</summary>
public sealed record BatchOptions
{
    public required string OutputRoot { get; init; }

    /// <summary>Skip items whose <c>run.json</c> records a completed run with the same fingerprint.</summary>
    public bool Resume { get; init; }

    public OutputRateMode OutputRate { get; init; } = OutputRateMode.Source;

    /// <summary>Faithful outputs for every item (<c>--faithful</c>); items whose manifest asks for them get them anyway.</summary>
    public bool Faithful { get; init; }

    /// <summary>Take the steady background out of every item's targets (<c>--background suppress</c>); items whose manifest asks for it get it anyway.</summary>
    public bool SuppressBackground { get; init; }

    /// <summary>Seed for any randomness in a model, for items whose manifest sets none; recorded in every <c>run.json</c>.</summary>
    public int Seed { get; init; }

    /// <summary>ODE steps of a generative model, for items whose manifest sets none; null for the model's default.</summary>
    public int? Steps { get; init; }
}

/// <summary>Where a batch is: which item, and how far into it.</summary>
public readonly record struct BatchProgress(int ItemIndex, int ItemCount, string ItemId, ItemProgress Item);
