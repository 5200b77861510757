using System.Diagnostics;
using System.Globalization;

namespace RoseForest.Cli.Commands.Cluster;

/// <summary>Signals to processes this tool started, by id (through kill(1): no native interop needed).</summary>
internal static class ProcessSignals
{
    /// <summary>Sends a signal (TERM, KILL, INT) to one process; false when it is gone.</summary>
    public static async Task<bool> SendAsync(int pid, string signal)
    {
        var start = new ProcessStartInfo("kill") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        await process.WaitForExitAsync();
        return process.ExitCode == 0;
    }

    /// <summary>Whether a process is alive and its command line mentions <paramref name="marker"/> (so a reused pid is never signalled).</summary>
    public static bool IsAlive(int pid, string marker)
    {
        var cmdline = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline";
        try
        {
            return File.Exists(cmdline) && File.ReadAllText(cmdline).Replace('\0', ' ').Contains(marker, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
