namespace RoseForest.Testing;

/// <summary>Runs a command-line entry point in-process with stdout and stderr captured. Console is process-wide: callers run one at a time.</summary>
internal static class ConsoleCapture
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(Func<string[], Task<int>> main, string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        var (o, e) = (new StringWriter(), new StringWriter());
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            var code = await main(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
