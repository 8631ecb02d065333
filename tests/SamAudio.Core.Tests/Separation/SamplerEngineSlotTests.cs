using SamAudio.Core.Separation;

namespace SamAudio.Core.Tests.Separation;

/// <summary>One engine per model, reopened only when a run asks for sampler settings it does not draw with.</summary>
public sealed class SamplerEngineSlotTests
{
    [Fact]
    public async Task A_generative_engine_is_reused_for_its_own_settings_and_reopened_for_others()
    {
        var opened = new List<SamplerEngine>();
        await using (var slot = new SamplerEngineSlot((s, _) => Task.FromResult<ISeparationEngine>(Add(opened, new SamplerEngine(s.Seed, s.Steps ?? 16)))))
        {
            var a = await slot.GetAsync(new SamplerSettings(1, null));
            var b = await slot.GetAsync(new SamplerSettings(1, 16));
            var c = await slot.GetAsync(new SamplerSettings(2, null));
            var d = await slot.GetAsync(new SamplerSettings(2, 4));

            Assert.Same(a, b);
            Assert.NotSame(b, c);
            Assert.NotSame(c, d);
            Assert.Equal([true, true, false], opened.Take(3).Select(e => e.Disposed));
        }

        Assert.All(opened, e => Assert.True(e.Disposed));
    }

    [Fact]
    public async Task An_engine_without_a_sampler_serves_every_setting()
    {
        int opens = 0;
        await using var slot = new SamplerEngineSlot((_, _) => { opens++; return Task.FromResult<ISeparationEngine>(new PassThroughEngine()); });

        await slot.GetAsync(new SamplerSettings(1, null));
        await slot.GetAsync(new SamplerSettings(9, 3));

        Assert.Equal(1, opens);
    }

    [Fact]
    public async Task A_fixed_engine_refuses_settings_it_does_not_draw_with_and_is_not_disposed()
    {
        var engine = new SamplerEngine(5, 16);
        await using (var slot = SamplerEngineSlot.Fixed(engine))
        {
            Assert.Same(engine, await slot.GetAsync(new SamplerSettings(5, null)));
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => slot.GetAsync(new SamplerSettings(6, null)));
            Assert.Contains("asks for seed 6, steps default", error.Message, StringComparison.Ordinal);
        }

        Assert.False(engine.Disposed);
    }

    private static T Add<T>(List<T> list, T value)
    {
        list.Add(value);
        return value;
    }

    private sealed class SamplerEngine(int seed, int steps) : ISeparationEngine
    {
        public bool Disposed { get; private set; }

        public EngineDescription Description { get; } = new("gen", "1", "flow", 48_000, 2, 0.4, [], "cpu",
            new Dictionary<string, string> { ["seed"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["steps"] = steps.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        public ValueTask<PromptBatch> EncodePromptsAsync(IReadOnlyList<string> prompts, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask SeparateAsync(ReadOnlyMemory<float> window, PromptBatch prompts, Memory<float> targets, Memory<float> residuals, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
