namespace RoseForest.Dashboard;

/// <summary>
/// Settings of the dashboard: the server's keys, so that <c>GET /dashboard/access</c> can tell the
/// pages which kind of key the user typed (the pages hide write actions for the read-only key;
/// the API refuses them anyway).
/// </summary>
public sealed class DashboardOptions
{
    /// <summary>The server's full API key, or null when the server has none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The server's read-only API key, or null.</summary>
    public string? ReadOnlyApiKey { get; init; }
}
