namespace SamAudio.Cli;

/// <summary>Process exit codes of <c>samaudio</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>Unexpected failure of the program itself.</summary>
    public const int Error = 1;

    /// <summary>Invalid input (manifest, arguments, model): nothing was processed.</summary>
    public const int InvalidInput = 2;

    /// <summary>Some items failed; the others completed.</summary>
    public const int PartialFailure = 3;
}
