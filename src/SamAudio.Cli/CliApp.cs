using System.CommandLine;
using SamAudio.Cli.Commands;

namespace SamAudio.Cli;

/// <summary>The <c>samaudio</c> command tree.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("SamAudio: text-prompted sound isolation over long recordings.");
        root.Subcommands.Add(SubmitCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
    }
}
