using System.Globalization;

namespace SamAudio.Core.Separation;

/// <summary>
/// The sampler settings a run asks of a generative engine (the flow family): the seed of its initial noise and the
/// number of ODE steps, null for the model's default. Engines without a sampler ignore them.
/// </summary>
public readonly record struct SamplerSettings(int Seed, int? Steps)
{
    /// <summary>Largest seed: seeds are non-negative 32-bit integers (manifest <c>seed</c>, <c>--seed</c>).</summary>
    public const int MaxSeed = int.MaxValue;

    /// <summary>Most ODE steps (manifest <c>steps</c>, <c>--steps</c>); the inference library's limit is the same.</summary>
    public const int MaxSteps = 1000;

    /// <summary>Key of the seed in <see cref="EngineDescription.Sampler"/>.</summary>
    public const string SeedKey = "seed";

    /// <summary>Key of the step count in <see cref="EngineDescription.Sampler"/>.</summary>
    public const string StepsKey = "steps";

    /// <summary>
    /// True when an engine described by <paramref name="model"/> produces what these settings ask for: it has no
    /// sampler (nothing to set), or its sampler records this seed and, when <see cref="Steps"/> is set, these steps.
    /// </summary>
    public bool IsServedBy(EngineDescription model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Sampler is not { } sampler)
        {
            return true;
        }

        return sampler.GetValueOrDefault(SeedKey) == Seed.ToString(CultureInfo.InvariantCulture)
            && (Steps is not { } steps || sampler.GetValueOrDefault(StepsKey) == steps.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>"seed 7, steps 16" (steps "default" when not set), for messages.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"seed {Seed}, steps {(Steps is { } s ? s.ToString(CultureInfo.InvariantCulture) : "default")}");
}
