namespace RoseForest.Server.Http;

/// <summary>A request the server cannot read (malformed JSON, wrong shape): HTTP 400.</summary>
internal sealed class BadRequestException(string message) : RoseForestException(message);
