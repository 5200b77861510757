namespace RoseForest.Dashboard.Tests;

/// <summary>The dashboard tests' server: <c>roseforest serve</c> with a full and a read-only key and the small hashing embedder.</summary>
internal static class DashboardServer
{
    public const string AdminKey = "dash-admin-key";
    public const string ReadOnlyKey = "dash-read-only-key";

    public static ServeProcess Create(string dataPath, params string[] extraArguments) =>
        new("dashboard", dataPath, ["--api-key", AdminKey, "--read-only-api-key", ReadOnlyKey, "--embedder", "hashing-64", "--knowledge-rate-limit", "0", .. extraArguments]);
}
