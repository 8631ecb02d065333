using System.Globalization;
using NAudio.Wave;

namespace SamAudio.Core.Audio;

/// <summary>
/// Holds every decoder to the exception contract of <see cref="AudioReaders"/>: whatever a decoder or the library
/// under it throws while opening, reading or seeking a damaged file (index out of range, overflow, end of stream,
/// a library's own exception type) reaches the caller as an <see cref="InvalidDataException"/> that names the file
/// and, while reading, the time where decoding stopped. File system failures (<see cref="IOException"/>,
/// <see cref="UnauthorizedAccessException"/>) and cancellation pass unchanged, and so do decoder errors that already
/// are <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class GuardedAudioReader : IAudioReader
{
    private readonly IAudioReader inner;
    private readonly string name;
    private long position;

    private GuardedAudioReader(IAudioReader inner, string name)
    {
        this.inner = inner;
        this.name = name;
    }

    public AudioFileInfo Info => inner.Info;

    public IReadOnlyList<string> Warnings => inner.Warnings;

    public WaveFormat WaveFormat => inner.WaveFormat;

    /// <summary>Opens through <paramref name="open"/> and wraps the reader; <paramref name="name"/> names the file in messages.</summary>
    public static IAudioReader Open(string name, Func<IAudioReader> open)
    {
        IAudioReader reader;
        try
        {
            reader = open();
        }
        catch (Exception e) when (IsDecoderFault(e, name) && e is not PlatformNotSupportedException)
        {
            throw new InvalidDataException($"'{name}' could not be opened as a recording; its header is damaged ({Describe(e)}).", e);
        }

        return reader as GuardedAudioReader ?? new GuardedAudioReader(reader, name);
    }

    public int Read(Span<float> buffer)
    {
        int got;
        try
        {
            got = inner.Read(buffer);
        }
        catch (Exception e) when (IsDecoderFault(e, name))
        {
            throw new InvalidDataException($"'{name}' could not be decoded past {Time(position)}; the audio data is damaged there ({Describe(e)}).", e);
        }

        int channels = Info.Channels;
        if (got < 0 || got > buffer.Length || got % channels != 0)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"'{name}' could not be decoded past {Time(position)}: the decoder returned {got} samples for {channels} channel(s)."));
        }

        position += got / channels;
        return got;
    }

    public void SeekToFrame(long frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frame, Info.Frames);
        try
        {
            inner.SeekToFrame(frame);
        }
        catch (Exception e) when (IsDecoderFault(e, name))
        {
            throw new InvalidDataException($"'{name}' could not be decoded up to {Time(frame)}, where reading was to start; the audio data is damaged ({Describe(e)}).", e);
        }

        position = frame;
    }

    public IntegrityCheck VerifyIntegrity(IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return inner.VerifyIntegrity(progress, cancellationToken);
        }
        catch (Exception e) when (IsDecoderFault(e, name))
        {
            throw new InvalidDataException($"'{name}' could not be checked against its own checksum; the audio data is damaged ({Describe(e)}).", e);
        }
    }

    public void Dispose() => inner.Dispose();

    /// <summary>
    /// True for exceptions that mean "these bytes cannot be decoded" rather than a caller or system problem and do not
    /// yet say so in the contract's terms (an <see cref="InvalidDataException"/> that names the file).
    /// </summary>
    private static bool IsDecoderFault(Exception e, string name) => e switch
    {
        InvalidDataException => !e.Message.Contains(name, StringComparison.Ordinal),
        EndOfStreamException => true,
        IOException or UnauthorizedAccessException or OperationCanceledException or ObjectDisposedException => false,
        _ => true,
    };

    private static string Describe(Exception e) => e is EndOfStreamException ? "the file ends early" : $"{e.GetType().Name}: {e.Message}";

    private string Time(long frame)
    {
        int rate = Math.Max(1, Info.SampleRate);
        return TimeSpan.FromSeconds(frame / (double)rate).ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);
    }
}
