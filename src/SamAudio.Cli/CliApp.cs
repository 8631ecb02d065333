using System.CommandLine;
using SamAudio.Cli.Commands;

namespace SamAudio.Cli;

/// <summary>The <c>samaudio</c> command tree.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var console = new CliConsole(stdout ?? Console.Out, stderr ?? Console.Error);
        var root = new RootCommand("SamAudio: text-prompted sound isolation over long recordings.");
        root.Subcommands.Add(SeparateCommand.Create(console));
        root.Subcommands.Add(BatchCommand.Create(console));
        root.Subcommands.Add(BenchCommand.Create(console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(ModelsCommand.Create(console));
        root.Subcommands.Add(SubmitCommand.Create(console));
        root.Subcommands.Add(IngestCommand.Create(console));
        root.Subcommands.Add(StatusCommand.Create(console));
        root.Subcommands.Add(FetchCommand.Create(console));
        root.Subcommands.Add(ReportCommand.Create(console));
        var config = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
            }

            return ExitCodes.InvalidInput;
        }

        return await parse.InvokeAsync(config).ConfigureAwait(false);
    }
}

/// <summary>Where a command writes: results on <see cref="Out"/>, progress and logs on <see cref="Error"/>.</summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error);
