namespace RoseForest.Core;

/// <summary>Why a vector was refused.</summary>
public enum VectorError
{
    /// <summary>The vector's length is not the collection's dimension.</summary>
    WrongDimension,

    /// <summary>A coordinate is NaN or infinite, or the norm overflows.</summary>
    NotFinite,

    /// <summary>A zero vector in a cosine collection has no direction.</summary>
    ZeroVector,

    /// <summary>A Poincaré point lies on or outside the ball's boundary.</summary>
    OutsideBall,

    /// <summary>A Lorentz point lies off the hyperboloid (or on its lower sheet) beyond the tolerance.</summary>
    OffHyperboloid,
}

/// <summary>A vector that does not fit its collection's dimension or geometry.</summary>
public sealed class VectorValidationException : ValidationException
{
    /// <summary>Creates the exception.</summary>
    public VectorValidationException(string field, VectorError error, string message)
        : base(field, message)
    {
        Error = error;
    }

    /// <summary>What was wrong.</summary>
    public VectorError Error { get; }
}
