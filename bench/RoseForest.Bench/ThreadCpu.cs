using System.Runtime.InteropServices;

namespace RoseForest.Bench;

/// <summary>
/// The calling thread's CPU time (Linux clock_gettime(CLOCK_THREAD_CPUTIME_ID)); NaN elsewhere.
/// On a machine shared with other jobs it measures the work of a loop without the time its
/// thread waited for a core; the hnswlib peer reports the same clock.
/// </summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static double Seconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return double.NaN;
        }

        return ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0 ? ts.Seconds + (ts.Nanoseconds * 1e-9) : double.NaN;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec ts);
}
