using Microsoft.AspNetCore.Http;

namespace RoseForest.Server;

/// <summary>
/// A part of the host that authenticates some routes itself (the knowledge part's YumeiCHAIN and
/// sync routes take the raw key in <c>Authorization</c> and node keys). The REST API's key
/// middleware lets the paths it <see cref="Handles"/> through untouched; the part must then refuse
/// unauthenticated calls on them whenever the server has API keys.
/// </summary>
public interface IDelegatedAuthentication
{
    /// <summary>True for a path whose authentication the part does itself.</summary>
    bool Handles(PathString path);
}
