using RoseForest.Federated.Model;

namespace RoseForest.Federated.Validation;

/// <summary>
/// The checks every update passes before it is accepted into a round, in this order: the client
/// id is present; the update is non-empty; its tensors have the model's names, order and shapes;
/// every value is finite; it names the open round; the client has not already sent one this
/// round; and its sample count is positive. Each failure throws a typed
/// <see cref="UpdateValidationException"/> naming the field.
/// </summary>
public static class UpdateValidator
{
    /// <summary>Validates an update against the global model and the open round.</summary>
    /// <param name="model">The round's global model (the layout updates must match).</param>
    /// <param name="update">The update to check.</param>
    /// <param name="openRound">The round now accepting updates.</param>
    /// <param name="alreadySubmitted">The ids of clients whose update this round was already accepted.</param>
    public static void Validate(ModelParameters model, ClientUpdate update, int openRound, IReadOnlySet<string> alreadySubmitted)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(alreadySubmitted);

        if (string.IsNullOrEmpty(update.ClientId))
        {
            throw new UpdateValidationException("clientId", "The update has no client id.");
        }

        CheckNotEmpty(update);
        CheckLayout(model, update);
        CheckFinite(update);

        if (update.Round != openRound)
        {
            throw new RoundMismatchException("round", $"The update is for round {update.Round} but round {openRound} is open.");
        }

        if (alreadySubmitted.Contains(update.ClientId))
        {
            throw new DuplicateUpdateException("clientId", $"Client '{update.ClientId}' already sent an update for round {openRound}.");
        }

        if (update.SampleCount <= 0)
        {
            throw new InvalidSampleCountException("sampleCount", $"The sample count must be positive; got {update.SampleCount}.");
        }
    }

    private static void CheckNotEmpty(ClientUpdate update)
    {
        if (update.Tensors.Tensors.Count == 0)
        {
            throw new EmptyUpdateException("tensors", "The update carries no tensors.");
        }

        foreach (var tensor in update.Tensors.Tensors)
        {
            if (tensor.Data.Length == 0)
            {
                throw new EmptyUpdateException($"tensors[{tensor.Name}]", $"Tensor '{tensor.Name}' has no values.");
            }
        }
    }

    private static void CheckLayout(ModelParameters model, ClientUpdate update)
    {
        var expected = model.Tensors;
        var actual = update.Tensors.Tensors;
        if (actual.Count != expected.Count)
        {
            throw new ShapeMismatchException("tensors", $"The model has {expected.Count} tensors; the update has {actual.Count}.");
        }

        for (var i = 0; i < expected.Count; i++)
        {
            if (actual[i].Name != expected[i].Name)
            {
                throw new ShapeMismatchException($"tensors[{i}].name", $"Tensor {i} is '{actual[i].Name}'; the model has '{expected[i].Name}' there.");
            }

            if (!actual[i].Shape.SequenceEqual(expected[i].Shape))
            {
                throw new ShapeMismatchException(
                    $"tensors[{expected[i].Name}].shape",
                    $"Tensor '{expected[i].Name}' has shape [{string.Join(",", actual[i].Shape)}]; the model's is [{string.Join(",", expected[i].Shape)}].");
            }
        }
    }

    private static void CheckFinite(ClientUpdate update)
    {
        foreach (var tensor in update.Tensors.Tensors)
        {
            var data = tensor.Data;
            for (var j = 0; j < data.Length; j++)
            {
                if (!float.IsFinite(data[j]))
                {
                    throw new NonFiniteValueException($"tensors[{tensor.Name}]", $"Tensor '{tensor.Name}' holds {data[j]} at index {j}.");
                }
            }
        }

        if (!float.IsFinite(update.Metrics.Loss))
        {
            throw new NonFiniteValueException("metrics.loss", "The loss is not finite.");
        }

        if (!float.IsFinite(update.Metrics.Accuracy))
        {
            throw new NonFiniteValueException("metrics.accuracy", "The accuracy is not finite.");
        }
    }
}
