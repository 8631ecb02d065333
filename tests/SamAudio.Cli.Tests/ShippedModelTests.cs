using System.Text.Json;
using SamAudio.Core.Audio;

namespace SamAudio.Cli.Tests;

/// <summary>
/// The embedded pack that the README's quick start runs (<c>models/samaudio-mini</c>), through the whole command on a
/// shipped sample recording: a dog barking over a piano (samples/README.md). Its references are not in the
/// repository, so the checks are what any working text-queried separator must do and a broken, untrained or
/// collapsed pack does not: two named sounds come out as different signals, and a sound that is not there comes
/// out near silence. The separation quality itself is measured by <c>samaudio eval</c> (MODEL_CARD.md).
/// </summary>
[Trait("Category", "Model")]
public sealed class ShippedModelTests
{
    private const int Rate = 16_000;

    [Fact]
    public async Task Samaudio_mini_gives_the_dog_and_the_piano_apart_and_near_silence_for_a_siren()
    {
        using var dir = new TempFolder();
        string sample = RepositoryPaths.Of("samples", "dog-and-piano.flac");

        var (code, stdout, stderr) = await CliRunner.RunAsync(
            "separate", sample, "--prompt", "a dog barking", "--prompt", "piano music", "--prompt", "a siren wailing",
            "--model", "samaudio-mini", "--output", "both", "--sample-rate", "model", "--out", dir["out"], "--json");

        Assert.True(code == 0, stderr);
        Assert.Equal("completed", JsonDocument.Parse(stdout).RootElement.GetProperty("status").GetString());
        float[] dog = ReadAll(dir["out/dog-and-piano/a-dog-barking.target.wav"]);
        float[] piano = ReadAll(dir["out/dog-and-piano/piano-music.target.wav"]);
        float[] siren = ReadAll(dir["out/dog-and-piano/a-siren-wailing.target.wav"]);
        float[] mixture = Sum(dog, ReadAll(dir["out/dog-and-piano/a-dog-barking.residual.wav"])); // target + residual, at 16 kHz

        // Each present sound keeps a real share of the recording, and the two shares are different signals.
        Assert.InRange(EnergyDb(dog, mixture), -12, 0);
        Assert.InRange(EnergyDb(piano, mixture), -12, 0);
        double correlation = Correlation(dog, piano);
        Assert.True(correlation < 0.3, $"the dog and piano outputs correlate at {correlation:F3}: the prompt changed nothing");

        // A sound that is not in the recording is near silence.
        double sirenDb = EnergyDb(siren, mixture);
        Assert.True(sirenDb < -20, $"the absent siren kept {sirenDb:F1} dB of the recording");
    }

    private static float[] Sum(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Select((x, i) => x + b[i]).ToArray();
    }

    private static double EnergyDb(float[] x, float[] reference) =>
        10 * Math.Log10(x.Sum(v => (double)v * v) / reference.Sum(v => (double)v * v));

    private static double Correlation(float[] a, float[] b)
    {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            ab += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return ab / Math.Sqrt(aa * bb);
    }

    private static float[] ReadAll(string path)
    {
        using (var reader = AudioReaders.Open(path))
        {
            Assert.Equal(Rate, reader.Info.SampleRate);
        }

        return TestRecordings.ReadAll(path);
    }
}
