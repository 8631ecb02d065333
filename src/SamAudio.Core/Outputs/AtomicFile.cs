using System.Text;

namespace SamAudio.Core.Outputs;

/// <summary>
/// Writes a whole file so that readers see either the old content or the new, never a torn file:
/// the bytes go to a temporary file in the same folder, are flushed to disk, then renamed over the target.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static Task WriteAllTextAsync(string path, string contents, CancellationToken cancellationToken = default) =>
        WriteAllBytesAsync(path, Utf8NoBom.GetBytes(contents), cancellationToken);

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> contents, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        string temp = TemporaryPathFor(path);
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(contents, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes the <c>.partial</c> files directly in <paramref name="folder"/>: what a process killed while writing
    /// (SIGKILL, a lost machine) leaves beside the files it was about to replace. A run calls this for the folders it
    /// owns before it writes, so a resumed run leaves exactly the files an uninterrupted one does.
    /// </summary>
    public static void RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(folder, "*.partial", SearchOption.TopDirectoryOnly))
        {
            File.Delete(file);
        }
    }

    /// <summary>A unique temporary name beside <paramref name="path"/>, ending in <c>.partial</c>.</summary>
    public static string TemporaryPathFor(string path) =>
        $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial";
}
