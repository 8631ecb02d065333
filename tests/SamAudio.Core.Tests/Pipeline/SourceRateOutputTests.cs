using SamAudio.Core.Audio;
using SamAudio.Core.Pipeline;

namespace SamAudio.Core.Tests.Pipeline;

public sealed class SourceRateOutputTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("samaudio-output-").FullName;

    [Fact]
    public async Task Complete_writes_exactly_the_recording_s_frame_count_at_its_rate()
    {
        string path = Path.Combine(_folder, "out.wav");
        var second = Enumerable.Range(0, 16_000).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * 440 * i / 16_000))).ToArray();
        using (var output = new SourceRateOutput(WavOutputWriter.Create(path, 44_100, []), null, 16_000, 44_100, skipFrames: 0, frames: 44_101))
        {
            for (int i = 0; i < second.Length; i += 1000)
            {
                output.Write(second.AsSpan(i, 1000), default);
            }

            var written = await output.Target!.CompleteAsync();

            Assert.Equal((44_101L, 44_100), (written.Frames, written.SampleRate));
        }

        using var reader = AudioReaders.Open(path);
        Assert.Equal((44_100, 44_101L), (reader.Info.SampleRate, reader.Info.Frames));
    }

    [Fact]
    public void An_abandoned_output_leaves_no_file_and_does_not_pad_to_its_full_length()
    {
        string path = Path.Combine(_folder, "abandoned.wav");
        var output = new SourceRateOutput(WavOutputWriter.Create(path, 48_000, []), null, 16_000, 48_000, skipFrames: 0, frames: 48_000L * 3600 * 10);
        output.Write(new float[16_000], default);

        output.Dispose();

        // One second went in: at most about one second (48,000 frames) may have come out, not ten hours of padding.
        Assert.InRange(output.FramesWritten, 0, 48_000);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
