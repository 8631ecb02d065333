namespace SamAudio.Storage.Sharding;

/// <summary>What ingestion learns about a recording from its header alone: enough to plan its shards.</summary>
/// <param name="Container"><c>wav</c> (also RF64) or <c>flac</c>.</param>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Interleaved channels.</param>
/// <param name="Frames">Sample frames in the recording, or null when the header does not say (a FLAC stream whose
/// encoder could not go back to record its length).</param>
public sealed record RecordingHeader(string Container, int SampleRate, int Channels, long? Frames)
{
    /// <summary>Duration of the recording, or null when its length is unknown.</summary>
    public TimeSpan? Duration => Frames is { } frames ? TimeSpan.FromSeconds((double)frames / SampleRate) : null;

    /// <summary>The header of a WAV or RF64 recording.</summary>
    public static RecordingHeader Of(WavInfo wav) => new("wav", wav.SampleRate, wav.Channels, wav.Frames);
}
