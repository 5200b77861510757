namespace RoseForest.Core.Filters;

/// <summary>
/// What a condition may know about the point besides its payload. Inside a <c>nested</c> filter
/// the conditions see one array element as the payload and no point: has_id, has_vector and slice
/// never match there, as in Qdrant (its nested check passes no id tracker and no vector storages).
/// </summary>
internal readonly struct FilterPoint(PointId id, IPointVectors? vectors, bool inNested)
{
    public PointId Id { get; } = id;

    public bool InNested { get; } = inNested;

    /// <summary>The same point as seen from inside a nested filter.</summary>
    public FilterPoint Nested() => new(Id, null, inNested: true);

    /// <summary>
    /// has_vector. Without vector information (the plain <c>Matches(id, payload)</c>) every point
    /// has the unnamed vector <c>""</c> and no named one, which is what a collection of this
    /// project's current single-vector data model holds.
    /// </summary>
    public bool HasVector(string name)
    {
        if (InNested)
        {
            return false;
        }

        return vectors is null ? name.Length == 0 : vectors.Has(name);
    }
}
