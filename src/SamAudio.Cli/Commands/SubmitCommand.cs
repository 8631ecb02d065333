using System.CommandLine;
using SamAudio.Storage.Submission;

namespace SamAudio.Cli.Commands;

/// <summary><c>samaudio submit &lt;manifest.json&gt;</c>: uploads the recordings a manifest names (skipping unchanged ones), then the manifest.</summary>
internal static class SubmitCommand
{
    public static Command Create(CliConsole console)
    {
        var manifest = new Argument<FileInfo>("manifest") { Description = "Local manifest (samaudio.manifest/v1); recordings resolve relative to its folder." };
        var prefix = new Option<string>("--prefix") { Description = "Blob folder for the manifest and recordings, ending in '/'.", DefaultValueFactory = _ => "" };
        var connection = StorageConnectionOption.Create();
        var command = new Command("submit", "Upload a manifest's recordings (skipping blobs whose hash matches) and then the manifest, which starts ingestion in Azure.")
        {
            manifest, prefix, connection,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = StorageConnectionOption.Options();
            var blobs = StorageConnectionOption.Factory(parse, connection).CreateBlobServiceClient();
            var result = await new ManifestSubmitter(blobs, options)
                .SubmitAsync(parse.GetValue(manifest)!.FullName, parse.GetValue(prefix)!, cancellationToken).ConfigureAwait(false);
            if (result.Errors.Count > 0)
            {
                await console.Error.WriteLineAsync($"Nothing was uploaded: {result.Errors.Count} problem(s).").ConfigureAwait(false);
                foreach (var error in result.Errors)
                    await console.Error.WriteLineAsync($"  {error.Path}: {error.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidInput;
            }
            foreach (var name in result.Uploaded)
                await console.Out.WriteLineAsync($"uploaded  {options.RecordingContainer}/{name}").ConfigureAwait(false);
            foreach (var name in result.Skipped)
                await console.Out.WriteLineAsync($"unchanged {options.RecordingContainer}/{name}").ConfigureAwait(false);
            await console.Out.WriteLineAsync($"manifest  {options.ManifestContainer}/{result.ManifestBlob}").ConfigureAwait(false);
            await console.Out.WriteLineAsync($"In Azure the upload starts ingestion; without the Functions app run: samaudio ingest {result.ManifestBlob}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
