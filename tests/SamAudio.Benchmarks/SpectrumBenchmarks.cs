using BenchmarkDotNet.Attributes;
using NWaves.Transforms;
using SamAudio.Core.Dsp;

namespace SamAudio.Benchmarks;

/// <summary>
/// The report's spectrogram FFT: power spectra of 4,096 Hann-windowed frames of 512 samples (a 2-hour recording at
/// 22.05 kHz is ~310,000 such frames per signal), NWaves' real FFT one frame at a time against
/// <see cref="BatchedRealFft"/>, which carries one frame per SIMD lane.
/// </summary>
public class SpectrumBenchmarks
{
    private const int Size = 512, Frames = 4096;
    private readonly float[] _frames = new float[Frames * Size];
    private readonly float[] _re = new float[Size], _im = new float[Size], _frame = new float[Size];
    private readonly RealFft _nwaves = new(Size);
    private readonly BatchedRealFft _spectra = new(Size);
    private float[] _power = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (int i = 0; i < _frames.Length; i++) _frames[i] = (float)((random.NextDouble() * 2) - 1) * (float)(0.5 - (0.5 * Math.Cos(2 * Math.PI * (i % Size) / Size)));
        _power = new float[_spectra.Bins * BatchedRealFft.Lanes];
    }

    [Benchmark(Baseline = true)]
    public float NWaves_real_fft()
    {
        float sum = 0;
        for (int f = 0; f < Frames; f++)
        {
            _frames.AsSpan(f * Size, Size).CopyTo(_frame);
            _nwaves.Direct(_frame, _re, _im);
            sum += (_re[3] * _re[3]) + (_im[3] * _im[3]);
        }

        return sum;
    }

    [Benchmark]
    public float Batched_power_spectra()
    {
        float sum = 0;
        int lanes = BatchedRealFft.Lanes;
        for (int f = 0; f < Frames; f += lanes)
        {
            _spectra.Power(_frames.AsSpan(f * Size, lanes * Size), _power);
            sum += _power[3 * lanes];
        }

        return sum;
    }
}
