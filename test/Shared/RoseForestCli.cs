namespace RoseForest.Testing;

/// <summary>
/// Where the real <c>roseforest</c> program is, for tests that start it as a process: the CLI
/// project's own build output (its deps.json and its files agree there; a test project's copy
/// can lack an assembly the test project resolves from the shared framework instead), else the
/// copy in the test's output.
/// </summary>
internal static class RoseForestCli
{
    public static string Dll { get; } = Find();

    private static string Find()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = output.Name;                        // net10.0
        var configuration = output.Parent?.Name ?? "Release"; // Release or Debug
        for (var dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RoseForest.slnx")))
            {
                var own = Path.Combine(dir.FullName, "src", "RoseForest.Cli", "bin", configuration, framework, "roseforest.dll");
                if (File.Exists(own))
                {
                    return own;
                }

                break;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "roseforest.dll");
    }
}
