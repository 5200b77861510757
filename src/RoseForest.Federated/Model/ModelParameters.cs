namespace RoseForest.Federated.Model;

/// <summary>A model: an ordered list of named tensors. The order is part of the model's identity.</summary>
public sealed class ModelParameters
{
    /// <summary>Creates a model from tensors with distinct names.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public ModelParameters(IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        Tensors = [.. tensors];
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in Tensors)
        {
            if (!names.Add(tensor.Name))
            {
                throw new ArgumentException($"Tensor name '{tensor.Name}' appears twice.", nameof(tensors));
            }
        }

        ValueCount = Tensors.Sum(t => (long)t.Data.Length);
    }

    /// <summary>The tensors in order.</summary>
    public IReadOnlyList<NamedTensor> Tensors { get; }

    /// <summary>The number of float values over all tensors.</summary>
    public long ValueCount { get; }

    /// <summary>Whether another model has the same tensor names and shapes in the same order.</summary>
    public bool HasSameLayout(ModelParameters other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Tensors.Count != Tensors.Count)
        {
            return false;
        }

        for (var i = 0; i < Tensors.Count; i++)
        {
            if (!Tensors[i].HasSameLayout(other.Tensors[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>All values concatenated in tensor order.</summary>
    public float[] Flatten()
    {
        var flat = new float[ValueCount];
        var offset = 0;
        foreach (var tensor in Tensors)
        {
            tensor.Data.CopyTo(flat, offset);
            offset += tensor.Data.Length;
        }

        return flat;
    }

    /// <summary>A model with this model's layout and the given flat values (in tensor order).</summary>
    /// <exception cref="ArgumentException">The number of values differs from <see cref="ValueCount"/>.</exception>
    public ModelParameters WithFlatValues(ReadOnlySpan<float> flat)
    {
        if (flat.Length != ValueCount)
        {
            throw new ArgumentException($"Expected {ValueCount} values, got {flat.Length}.", nameof(flat));
        }

        var tensors = new List<NamedTensor>(Tensors.Count);
        var offset = 0;
        foreach (var tensor in Tensors)
        {
            tensors.Add(tensor.WithData(flat.Slice(offset, tensor.Data.Length).ToArray()));
            offset += tensor.Data.Length;
        }

        return new ModelParameters(tensors);
    }

    /// <summary>A deep copy.</summary>
    public ModelParameters Clone() => new(Tensors.Select(t => t.Clone()));
}
