namespace RoseForest.Federated.Model;

/// <summary>
/// A named float tensor: a layer's weights or biases. <see cref="Data"/> holds the values in
/// row-major order; its length is the product of <see cref="Shape"/>.
/// </summary>
public sealed class NamedTensor
{
    /// <summary>Creates a tensor; the data array is taken as it is, not copied.</summary>
    /// <exception cref="ArgumentException">The name is empty, a dimension is negative, or the data length is not the product of the shape.</exception>
    public NamedTensor(string name, int[] shape, float[] data)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"Tensor '{name}' has a negative dimension.", nameof(shape));
            }

            count *= dim;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"Tensor '{name}' has shape [{string.Join(",", shape)}] ({count} values) but {data.Length} values.", nameof(data));
        }

        Name = name;
        Shape = (int[])shape.Clone();
        Data = data;
    }

    /// <summary>The tensor's name, unique within a model (e.g. <c>dense1.weight</c>).</summary>
    public string Name { get; }

    /// <summary>The dimensions; a scalar has an empty shape and one value.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values in row-major order.</summary>
    public float[] Data { get; }

    /// <summary>Whether another tensor has the same name and shape.</summary>
    public bool HasSameLayout(NamedTensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Name == other.Name && Shape.SequenceEqual(other.Shape);
    }

    /// <summary>A copy with its own data array.</summary>
    public NamedTensor Clone() => new(Name, [.. Shape], (float[])Data.Clone());

    /// <summary>A tensor with the same name and shape and the given data.</summary>
    public NamedTensor WithData(float[] data) => new(Name, [.. Shape], data);
}
