namespace RoseForest.Federated.Randomness;

/// <summary>A random source whose state can be saved in a snapshot and restored, so a restarted coordinator draws the same numbers.</summary>
public interface IRestorableRandomSource : IRandomSource
{
    /// <summary>The generator's state.</summary>
    byte[] ExportState();

    /// <summary>Restores a state from <see cref="ExportState"/>.</summary>
    void ImportState(ReadOnlySpan<byte> state);
}
