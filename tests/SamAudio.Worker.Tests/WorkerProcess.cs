using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace SamAudio.Worker.Tests;

/// <summary>
/// A real process of one of the project's programs built beside the tests (<c>samaudio-worker</c>, <c>samaudio</c>),
/// with its output captured.
/// </summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private WorkerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>samaudio-worker</c> with <paramref name="args"/> and the settings in <paramref name="environment"/>.</summary>
    public static WorkerProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        Start("samaudio-worker", environment, args);

    /// <summary>Starts the program <paramref name="program"/> (<c>samaudio-worker</c> or <c>samaudio</c>).</summary>
    public static WorkerProcess Start(string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program + ".dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("the worker did not start"));
    }

    /// <summary>Waits for the exit and returns the exit code; kills the process when it overruns.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the worker ran past {timeout}:\n{Output}");
        }

        _process.WaitForExit(); // flushes the redirected output
        return _process.ExitCode;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGKILL: the process ends at once, in the middle of whatever it was doing.</summary>
    public void KillNow()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, as Container Apps sends before it stops a replica (sent through libc, not a <c>kill</c> process).</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    /// <summary>Waits until the output holds <paramref name="text"/>; false when the process exits or time runs out first.</summary>
    public async Task<bool> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return true;
            }

            if (_process.HasExited)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return false;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
