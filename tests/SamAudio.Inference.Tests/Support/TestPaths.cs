namespace SamAudio.Inference.Tests.Support;

internal static class TestPaths
{
    public static string BandMask => Path.Combine(AppContext.BaseDirectory, "models", "testpacks", "bandmask");

    public static string SamAudioTiny => Path.Combine(AppContext.BaseDirectory, "models", "testpacks", "sam-audio-tiny");

    public static string FlowData => Path.Combine(AppContext.BaseDirectory, "Flow", "Data");

    public static string SentencePieceData => Path.Combine(AppContext.BaseDirectory, "SentencePiece", "Data");

    /// <summary>A fresh copy of the band-mask pack in a temporary folder the caller may break.</summary>
    public static string CopyOfBandMask() => CopyOf(BandMask);

    /// <summary>A fresh copy of the pack in <paramref name="source"/> in a temporary folder the caller may break.</summary>
    public static string CopyOf(string source)
    {
        string folder = Path.Combine(Path.GetTempPath(), "samaudio-pack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }
}
