namespace RoseForest.Core;

/// <summary>
/// The caller may not do this: a model key on a namespace or route its rights do not reach
/// (HTTP 403, gRPC PermissionDenied). The message names what was refused and why.
/// </summary>
public sealed class AccessDeniedException(string message) : RoseForestException(message);
