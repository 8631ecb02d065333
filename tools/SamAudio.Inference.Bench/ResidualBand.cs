using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;
using SamAudio.Core.Segmentation;
using SamAudio.Inference.Packs;

namespace SamAudio.Inference.Bench;

/// <summary>
/// What target and residual hold above the model's band, and how far target + residual is from the mixture, at the
/// recording's rate (docs/decisions/0004-residual-at-source-rate.md). Runs the product's <see cref="ShardSeparator"/>
/// on the recording (mono downmix), optionally first resampled to another rate, and writes the raw target so two
/// builds can be compared byte for byte.
/// </summary>
internal static class ResidualBand
{
    public static async Task RunAsync(string pack, string recording, string prompt, int? rate, double bandLow, double bandHigh, string outFolder, ILogger logger)
    {
        Directory.CreateDirectory(outFolder);
        string input = rate is { } r ? Resampled(recording, r, Path.Combine(outFolder, $"input-{r}.wav")) : recording;
        var options = new InferenceOptions { Device = InferenceDevice.Cpu };
        await using var engine = await ModelEngines.OpenAsync(new ModelCatalog([]), pack, options, logger);
        using var reader = AudioReaders.Open(input);
        int sourceRate = reader.Info.SampleRate;
        var request = new ShardRequest
        {
            Prompts = [new ItemPrompt(prompt, "p", true, true)],
            Span = ShardSpan.Whole(0, reader.Info.Frames),
        };
        using (var separated = await new ShardSeparator(engine).SeparateAsync(
            reader, request, (_, kind, _, _) => new RawFloatWriter(Path.Combine(outFolder, $"{kind}-{sourceRate}.raw"))))
        {
            await separated.CompleteAsync();
        }

        float[] mixture = ReadMono(input);
        float[] target = ReadRaw(Path.Combine(outFolder, $"target-{sourceRate}.raw"));
        float[] residual = ReadRaw(Path.Combine(outFolder, $"residual-{sourceRate}.raw"));
        double peak = 0;
        for (int i = 0; i < mixture.Length; i++)
        {
            peak = Math.Max(peak, Math.Abs((double)target[i] + residual[i] - mixture[i]));
        }

        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv,
            $"{Path.GetFileName(recording)} at {sourceRate} Hz, '{prompt}': {mixture.Length} frames (target {target.Length}, residual {residual.Length}); " +
            $"max |target + residual - mixture| {peak:E2}; {bandLow / 1000:0.##}-{bandHigh / 1000:0.##} kHz band level: mixture {BandDb(mixture, sourceRate, bandLow, bandHigh):F1} dB, " +
            $"target {BandDb(target, sourceRate, bandLow, bandHigh):F1} dB, residual {BandDb(residual, sourceRate, bandLow, bandHigh):F1} dB (RMS re full scale)"));
    }

    /// <summary>The recording's mono downmix resampled to <paramref name="rate"/> by the product's resampler, as 32-bit float WAV.</summary>
    private static string Resampled(string recording, int rate, string path)
    {
        using var reader = AudioReaders.Open(recording);
        var source = new Resampler(new ChannelSelector(reader, ChannelSelection.Mix), rate);
        using var writer = WavOutputWriter.Create(path, rate, []);
        var buffer = new float[8192];
        for (int n; (n = source.Read(buffer)) > 0;)
        {
            writer.Write(buffer.AsSpan(0, n));
        }

        writer.Complete();
        return path;
    }

    private static float[] ReadMono(string path)
    {
        using var reader = AudioReaders.Open(path);
        var source = new ChannelSelector(reader, ChannelSelection.Mix);
        var all = new List<float>();
        var buffer = new float[8192];
        for (int n; (n = source.Read(buffer)) > 0;)
        {
            all.AddRange(buffer.AsSpan(0, n));
        }

        return [.. all];
    }

    private static float[] ReadRaw(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    /// <summary>RMS level of the band in dB re full scale: Hann-windowed 4096-point frames, half overlap, Parseval.</summary>
    private static double BandDb(float[] x, int rate, double low, double high)
    {
        const int n = 4096;
        var window = new double[n];
        double windowPower = 0;
        for (int i = 0; i < n; i++)
        {
            window[i] = 0.5 - (0.5 * Math.Cos(2 * Math.PI * i / n));
            windowPower += window[i] * window[i];
        }

        var spectrum = new Complex[n];
        double power = 0;
        int frames = 0;
        for (int start = 0; start + n <= x.Length; start += n / 2, frames++)
        {
            for (int i = 0; i < n; i++)
            {
                spectrum[i] = x[start + i] * window[i];
            }

            Fft(spectrum);
            for (int k = 1; k < n / 2; k++)
            {
                double hz = k * (double)rate / n;
                if (hz >= low && hz <= high)
                {
                    power += 2 * spectrum[k].Magnitude * spectrum[k].Magnitude / (n * windowPower);
                }
            }
        }

        return 10 * Math.Log10(Math.Max(power / Math.Max(frames, 1), 1e-30));
    }

    /// <summary>In-place radix-2 FFT.</summary>
    private static void Fft(Complex[] a)
    {
        int n = a.Length;
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (a[i], a[j]) = (a[j], a[i]);
            }
        }

        for (int len = 2; len <= n; len <<= 1)
        {
            var step = Complex.FromPolarCoordinates(1, -2 * Math.PI / len);
            for (int i = 0; i < n; i += len)
            {
                var w = Complex.One;
                for (int k = 0; k < len / 2; k++, w *= step)
                {
                    var u = a[i + k];
                    var v = a[i + k + (len / 2)] * w;
                    a[i + k] = u + v;
                    a[i + k + (len / 2)] = u - v;
                }
            }
        }
    }
}
