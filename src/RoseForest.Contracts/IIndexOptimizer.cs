namespace RoseForest.Contracts;

/// <summary>
/// A collection that watches its own index and can repair and tune it (issue 19): telemetry,
/// detectors, repair actions and a controller. Implemented by the engine's collections; a
/// transport asks <c>collection is IIndexOptimizer</c> and answers "not supported" otherwise.
/// </summary>
public interface IIndexOptimizer
{
    /// <summary>The controller's settings, the current telemetry, its findings and its action history.</summary>
    OptimizerReport GetOptimizerReport();

    /// <summary>
    /// Changes the controller's settings (the fields that are set; the others keep their values)
    /// and keeps them with the collection. Invalid settings throw <see cref="ValidationException"/>
    /// and change nothing.
    /// </summary>
    Task<OptimizerReport> ConfigureOptimizerAsync(OptimizerSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Runs one pass of the controller now (detectors, then at most one action when it is enabled) and returns the report after it.</summary>
    Task<OptimizerReport> RunOptimizerAsync(CancellationToken cancellationToken = default);
}
