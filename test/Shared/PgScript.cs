using System.Diagnostics;

namespace RoseForest.Testing;

/// <summary>
/// Runs <c>test/cluster/pg.sh</c> (a throwaway PostgreSQL 15 on its own port and folder) for tests
/// that need a real PostgreSQL: <c>start DIR PORT</c> prints a connection string as the last line
/// of its output; <c>stop DIR</c> stops it.
/// </summary>
internal static class PgScript
{
    public static async Task<(int Code, string Output, string Errors)> RunAsync(string command, string folder, string? port)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoRoot(), "test", "cluster", "pg.sh"));
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(folder);
        if (port is not null)
        {
            start.ArgumentList.Add(port);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RoseForest.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the repository root (RoseForest.slnx) was not found above the test binaries.");
    }
}
