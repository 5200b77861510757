namespace RoseForest.Contracts.Qdrant;

/// <summary>A request body that is not well-formed JSON (the message starts as Qdrant's: "Format error in JSON body").</summary>
public sealed class JsonFormatException(string message) : RoseForestException(message);
