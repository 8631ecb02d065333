using SamAudio.Cli;

return await CliApp.RunAsync(args).ConfigureAwait(false);
