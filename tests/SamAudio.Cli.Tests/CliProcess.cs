using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SamAudio.Cli.Tests;

/// <summary>
/// The real <c>samaudio</c> program as a process of its own (built beside the tests), optionally pinned to one CPU.
/// Pinning needs no tool: a process inherits the CPU affinity of the thread that starts it, so a thread pins itself
/// to CPU 0 and starts the process; every thread the program makes is then on CPU 0 too.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private readonly Process _process;

    private CliProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>Starts <c>samaudio</c> with <paramref name="args"/>; with <paramref name="pinToCpu0"/>, on CPU 0 only.</summary>
    public static CliProcess Start(bool pinToCpu0, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "samaudio.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process? process = null;
        Exception? error = null;
        var starter = new Thread(() =>
        {
            try
            {
                if (pinToCpu0)
                {
                    ulong cpu0 = 1;
                    if (SchedSetAffinity(0, (nint)sizeof(ulong), ref cpu0) != 0)
                        throw new InvalidOperationException($"sched_setaffinity failed (errno {Marshal.GetLastPInvokeError()})");
                }

                process = Process.Start(start);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        starter.Start();
        starter.Join();
        if (error is not null) throw error;
        var started = new CliProcess(process ?? throw new InvalidOperationException("samaudio did not start"));
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        return started;
    }

    /// <summary>The CPUs the process may run on, as the kernel reports them (e.g. "0" or "0-1").</summary>
    public string AllowedCpus() => File.ReadLines($"/proc/{_process.Id}/status")
        .Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim();

    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the program ends at once, in the middle of whatever it was writing.</summary>
    public void KillNow() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static extern int SchedSetAffinity(int pid, nint cpuSetSize, ref ulong mask);
}
