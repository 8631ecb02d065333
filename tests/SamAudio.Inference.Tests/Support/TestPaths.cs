namespace SamAudio.Inference.Tests.Support;

internal static class TestPaths
{
    public static string BandMask => Path.Combine(AppContext.BaseDirectory, "models", "testpacks", "bandmask");

    public static string SentencePieceData => Path.Combine(AppContext.BaseDirectory, "SentencePiece", "Data");

    /// <summary>A fresh copy of the band-mask pack in a temporary folder the caller may break.</summary>
    public static string CopyOfBandMask()
    {
        string folder = Path.Combine(Path.GetTempPath(), "samaudio-pack-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(BandMask))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }
}
