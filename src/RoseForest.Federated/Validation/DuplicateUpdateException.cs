namespace RoseForest.Federated.Validation;

/// <summary>The client already sent an update for this round.</summary>
public sealed class DuplicateUpdateException : UpdateValidationException
{
    /// <summary>Creates the exception for a field.</summary>
    public DuplicateUpdateException(string field, string message)
        : base(field, message)
    {
    }
}
