namespace SamAudio.Core.Dsp;

/// <summary>
/// Polyphase coefficient table of a Kaiser-windowed sinc low-pass for rational-rate resampling (hand-written:
/// NAudio's WdlResampler has no latency compensation and a fixed-length Blackman-Harris sinc whose transition
/// band is too wide at 3:1). Design: 100 dB stopband attenuation, passband and stopband edges as
/// <see cref="ResamplingDesign"/> fractions of the lower of the two Nyquist frequencies.
/// Output frame k sits at input time t = k * inRate / outRate; it is the dot product of the inputs
/// x[floor(t) - HalfWidth + 1 .. floor(t) + HalfWidth] with the row for the fractional part of t. Every row is
/// normalised to sum to 1, so a constant input gives exactly that constant.
/// </summary>
internal sealed class SincResamplingKernel
{
    /// <summary>Above this many distinct phases the table holds this many and interpolates between rows.</summary>
    internal const int MaxExactPhases = 1024;

    private const double StopbandAttenuationDb = 100;

    private readonly float[] table;

    private SincResamplingKernel(int inputStep, int outputStep, int halfWidth, int rows, bool interpolated, float[] table)
    {
        InputStep = inputStep;
        OutputStep = outputStep;
        HalfWidth = halfWidth;
        Rows = rows;
        Interpolated = interpolated;
        this.table = table;
    }

    /// <summary>M: input rate / gcd. Output frame k advances the input position by M / L.</summary>
    public int InputStep { get; }

    /// <summary>L: output rate / gcd; the number of distinct phases.</summary>
    public int OutputStep { get; }

    /// <summary>W: each output uses 2W inputs, W - 1 before and W after floor(t).</summary>
    public int HalfWidth { get; }

    public int Taps => 2 * HalfWidth;

    /// <summary>Rows in the table: L (exact) or <see cref="MaxExactPhases"/> + 1 (interpolated).</summary>
    public int Rows { get; }

    /// <summary>True when rows are interpolated (L above <see cref="MaxExactPhases"/>).</summary>
    public bool Interpolated { get; }

    public ReadOnlySpan<float> Row(int row) => table.AsSpan(row * Taps, Taps);

    /// <summary>All rows, row r at r * <see cref="Taps"/>.</summary>
    public ReadOnlySpan<float> Table => table;

    /// <summary>
    /// The kernel of <paramref name="inputRate"/> to <paramref name="outputRate"/> with <paramref name="design"/>
    /// (default <see cref="ResamplingDesign.Output"/>). Kernels are immutable and built once per rate pair and design
    /// per process: a batch of short items would otherwise rebuild the same tables for every item.
    /// </summary>
    public static SincResamplingKernel Create(int inputRate, int outputRate, ResamplingDesign? design = null)
    {
        design ??= ResamplingDesign.Output;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputRate);
        return Built.GetOrAdd((inputRate, outputRate, design), key => Build(key.InputRate, key.OutputRate, key.Design));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int InputRate, int OutputRate, ResamplingDesign Design), SincResamplingKernel> Built = new();

    private static SincResamplingKernel Build(int inputRate, int outputRate, ResamplingDesign design)
    {
        var gcd = Gcd(inputRate, outputRate);
        int m = inputRate / gcd, l = outputRate / gcd;

        // Frequencies in cycles per input sample.
        var nyquist = 0.5 * Math.Min(inputRate, outputRate) / inputRate;
        var transition = (design.StopbandFraction - design.PassbandFraction) * nyquist;
        var cutoff = (design.PassbandFraction + design.StopbandFraction) / 2 * nyquist;
        var beta = 0.1102 * (StopbandAttenuationDb - 8.7);
        var length = (StopbandAttenuationDb - 7.95) / (14.36 * transition); // Kaiser's length estimate
        var halfWidth = Math.Max(2, (int)Math.Ceiling(length / 2));

        var interpolated = l > MaxExactPhases;
        var rows = interpolated ? MaxExactPhases + 1 : l;
        var phaseCount = interpolated ? MaxExactPhases : l;
        var taps = 2 * halfWidth;
        var table = new float[rows * taps];
        var row = new double[taps];
        var i0Beta = BesselI0(beta);
        for (var r = 0; r < rows; r++)
        {
            var phase = (double)r / phaseCount;
            var sum = 0.0;
            for (var j = 0; j < taps; j++)
            {
                var tau = phase + halfWidth - 1 - j;
                var x = tau / halfWidth;
                var window = Math.Abs(x) >= 1 ? 0 : BesselI0(beta * Math.Sqrt(1 - (x * x))) / i0Beta;
                var arg = 2 * cutoff * tau;
                var sinc = Math.Abs(arg) < 1e-12 ? 1 : Math.Sin(Math.PI * arg) / (Math.PI * arg);
                row[j] = 2 * cutoff * sinc * window;
                sum += row[j];
            }

            for (var j = 0; j < taps; j++) table[(r * taps) + j] = (float)(row[j] / sum);
        }

        return new SincResamplingKernel(m, l, halfWidth, rows, interpolated, table);
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1, quarter = x * x / 4;
        for (var k = 1; k < 500 && term > 1e-17 * sum; k++)
        {
            term *= quarter / ((double)k * k);
            sum += term;
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
