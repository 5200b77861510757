using RoseForest.Core.Spaces;
using RoseForest.Engine.Spaces;

namespace RoseForest.Engine.Querying;

/// <summary>A query vector in the form a space scores with: dense (or flattened multi) coordinates, or a sparse vector.</summary>
/// <param name="Dense">Prepared coordinates (a multivector's rows flattened).</param>
/// <param name="Sparse">The sparse query as scored (weighted by idf when the space has the modifier).</param>
/// <param name="SparseRaw">The sparse query as given (sorted), without idf.</param>
internal sealed record QueryVector(float[]? Dense, SparseVector? Sparse = null, SparseVector? SparseRaw = null);

/// <summary>
/// One named vector of a collection as queries see it, whatever its kind (dense, multi, sparse):
/// checking and preparing inputs, and scoring a slot. Used under the collection's read lock.
/// </summary>
internal abstract class QuerySpace(string name)
{
    /// <summary>The vector's name (<c>""</c>: the unnamed one).</summary>
    public string Name { get; } = name;

    /// <summary>Whether a higher nearest score is better (false for the distances).</summary>
    public abstract bool HigherIsBetter { get; }

    /// <summary>True when the slot has this vector.</summary>
    public abstract bool Has(int slot);

    /// <summary>Qdrant's preprocessing of an input: checked against the space, unit length for cosine; refused when its kind does not fit.</summary>
    public abstract VectorData Preprocess(VectorData input, string field);

    /// <summary>The query form of a preprocessed vector; <paramref name="project"/> pulls a computed vector onto the manifold.</summary>
    public abstract QueryVector Bind(VectorData preprocessed, string field, bool project);

    /// <summary>The raw similarity of the query to the slot's vector (higher is better).</summary>
    public abstract double Similarity(QueryVector query, int slot);

    /// <summary>The score a nearest query reports for the slot, or null when the slot cannot match (sparse: no common dimension).</summary>
    public abstract double? NearestScore(QueryVector query, int slot);

    /// <summary>The raw similarity of slot <paramref name="query"/>'s vector to slot <paramref name="other"/>'s (MMR's diversity term).</summary>
    public abstract double SlotSimilarity(int query, int other);

    /// <summary>The vector the average_vector strategy searches with: avg(positive) + avg(positive) − avg(negative), per kind as Qdrant computes it.</summary>
    public abstract VectorData Average(IReadOnlyList<VectorData> positive, IReadOnlyList<VectorData> negative, string field);

    /// <summary>The query space for a vector name of the table, or a 400 naming the field.</summary>
    public static QuerySpace For(Internal.PointTable table, string name, string field)
    {
        if (table.DenseNamed(name) is { } dense)
        {
            return new DenseQuerySpace(dense);
        }

        if (table.MultiNamed(name) is { } multi)
        {
            return new MultiQuerySpace(multi);
        }

        if (table.SparseNamed(name) is { } sparse)
        {
            return new SparseQuerySpace(sparse);
        }

        throw new ValidationException(field, name.Length == 0 ? "this collection has no unnamed vector; say which vector to search (using)." : $"Not existing vector name error: {name}");
    }

    private protected static ValidationException WrongKind(string field, string name, string kind, string how) =>
        new(field, $"vector '{name}' is {kind}: query it with {how}.");
}

/// <summary>A dense vector space.</summary>
internal sealed class DenseQuerySpace(DenseSpace space) : QuerySpace(space.Name)
{
    public DenseSpace Space => space;

    public override bool HigherIsBetter => GeometryInfo.HigherIsBetter(space.Geometry);

    public override bool Has(int slot) => space.Has(slot);

    public override VectorData Preprocess(VectorData input, string field)
    {
        if (input is not DenseVector d)
        {
            throw WrongKind(field, Name, "dense", "an array of numbers");
        }

        var prepared = new float[space.Dimension];
        VectorPreparer.Prepare(space.Geometry, space.Curvature, space.Dimension, d.Values, prepared, projectOntoManifold: false, field);
        return new DenseVector(prepared);
    }

    public override QueryVector Bind(VectorData preprocessed, string field, bool project)
    {
        var values = ((DenseVector)preprocessed).Values;
        if (project)
        {
            var projected = new float[values.Length];
            VectorPreparer.Prepare(space.Geometry, space.Curvature, space.Dimension, values, projected, projectOntoManifold: true, field);
            values = projected;
        }

        return new QueryVector(values);
    }

    public override double Similarity(QueryVector query, int slot) =>
        Querying.Similarity.Of(space.Geometry, space.Curvature, query.Dense, space.Vectors.Get(slot));

    public override double? NearestScore(QueryVector query, int slot) =>
        GeometryMath.Score(space.Geometry, space.Curvature, query.Dense, space.Vectors.Get(slot));

    public override double SlotSimilarity(int query, int other) =>
        Querying.Similarity.Of(space.Geometry, space.Curvature, space.Vectors.Get(query), space.Vectors.Get(other));

    public override VectorData Average(IReadOnlyList<VectorData> positive, IReadOnlyList<VectorData> negative, string field)
    {
        var pos = Mean(positive);
        if (negative.Count == 0)
        {
            return new DenseVector(pos);
        }

        var neg = Mean(negative);
        var result = new float[pos.Length];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = pos[i] + pos[i] - neg[i];
        }

        return new DenseVector(result);
    }

    private float[] Mean(IReadOnlyList<VectorData> vectors)
    {
        var sum = new float[space.Dimension];
        foreach (DenseVector v in vectors)
        {
            for (var i = 0; i < sum.Length; i++)
            {
                sum[i] += v.Values[i];
            }
        }

        for (var i = 0; i < sum.Length; i++)
        {
            sum[i] /= vectors.Count;
        }

        return sum;
    }
}

/// <summary>A multivector space (max_sim).</summary>
internal sealed class MultiQuerySpace(MultiSpace space) : QuerySpace(space.Name)
{
    public MultiSpace Space => space;

    public override bool HigherIsBetter => true;

    public override bool Has(int slot) => space.Has(slot);

    public override VectorData Preprocess(VectorData input, string field)
    {
        var rows = input switch
        {
            MultiVector m => m.Vectors,
            DenseVector d => [d.Values],
            _ => throw WrongKind(field, Name, "a multivector", "an array of arrays"),
        };
        if (rows.Length == 0)
        {
            throw new ValidationException(field, "a multivector query needs at least one vector.");
        }

        var prepared = new float[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            prepared[i] = new float[space.Dimension];
            VectorPreparer.Prepare(space.Params.Distance, space.Params.Curvature, space.Dimension, rows[i] ?? throw new ValidationException($"{field}[{i}]", "must not be null."), prepared[i], projectOntoManifold: false, $"{field}[{i}]");
        }

        return new MultiVector(prepared);
    }

    public override QueryVector Bind(VectorData preprocessed, string field, bool project)
    {
        var rows = ((MultiVector)preprocessed).Vectors;
        var flat = new float[rows.Length * space.Dimension];
        for (var i = 0; i < rows.Length; i++)
        {
            var target = flat.AsSpan(i * space.Dimension, space.Dimension);
            if (project)
            {
                VectorPreparer.Prepare(space.Params.Distance, space.Params.Curvature, space.Dimension, rows[i], target, projectOntoManifold: true, $"{field}[{i}]");
            }
            else
            {
                rows[i].CopyTo(target);
            }
        }

        return new QueryVector(flat);
    }

    public override double Similarity(QueryVector query, int slot) =>
        Querying.Similarity.MaxSim(space.Params.Distance, space.Params.Curvature, query.Dense, space.Get(slot), space.Dimension);

    public override double? NearestScore(QueryVector query, int slot) => Similarity(query, slot);

    public override double SlotSimilarity(int query, int other) =>
        Querying.Similarity.MaxSim(space.Params.Distance, space.Params.Curvature, space.Get(query), space.Get(other), space.Dimension);

    /// <summary>Qdrant concatenates the positives' sub-vectors, then the negatives' negated.</summary>
    public override VectorData Average(IReadOnlyList<VectorData> positive, IReadOnlyList<VectorData> negative, string field)
    {
        var rows = new List<float[]>();
        foreach (MultiVector m in positive)
        {
            rows.AddRange(m.Vectors);
        }

        foreach (MultiVector m in negative)
        {
            rows.AddRange(m.Vectors.Select(r => r.Select(x => -x).ToArray()));
        }

        return new MultiVector([.. rows]);
    }
}

/// <summary>A sparse vector space (dot product; idf weights the query when the space has the modifier).</summary>
internal sealed class SparseQuerySpace(SparseSpace space) : QuerySpace(space.Name)
{
    public SparseSpace Space => space;

    public override bool HigherIsBetter => true;

    public override bool Has(int slot) => space.Has(slot);

    public override VectorData Preprocess(VectorData input, string field) => input is SparseVector s
        ? Collection.PrepareSparse(s.Indices, s.Values, field)
        : throw WrongKind(field, Name, "sparse", "{\"indices\", \"values\"}");

    public override QueryVector Bind(VectorData preprocessed, string field, bool project)
    {
        var raw = (SparseVector)preprocessed;
        if (space.Params.Modifier != SparseModifier.Idf)
        {
            return new QueryVector(null, raw, raw);
        }

        var weighted = new float[raw.Values.Length];
        for (var i = 0; i < weighted.Length; i++)
        {
            weighted[i] = (float)(raw.Values[i] * space.Idf(raw.Indices[i]));
        }

        return new QueryVector(null, new SparseVector(raw.Indices, weighted), raw);
    }

    public override double Similarity(QueryVector query, int slot) => Querying.Similarity.SparseDot(query.Sparse!, space.Get(slot)!, out _);

    public override double? NearestScore(QueryVector query, int slot)
    {
        var dot = Querying.Similarity.SparseDot(query.Sparse!, space.Get(slot)!, out var overlap);
        return overlap ? dot : null;
    }

    public override double SlotSimilarity(int query, int other) => Querying.Similarity.SparseDot(space.Get(query)!, space.Get(other)!, out _);

    /// <summary>Qdrant's sparse average: the union of indices, a missing value counting 0.</summary>
    public override VectorData Average(IReadOnlyList<VectorData> positive, IReadOnlyList<VectorData> negative, string field)
    {
        var pos = Mean(positive);
        if (negative.Count == 0)
        {
            return ToSparse(pos);
        }

        var neg = Mean(negative);
        var result = new SortedDictionary<uint, float>();
        foreach (var key in pos.Keys.Union(neg.Keys))
        {
            var p = pos.GetValueOrDefault(key);
            result[key] = p + p - neg.GetValueOrDefault(key);
        }

        return ToSparse(result);
    }

    private static SortedDictionary<uint, float> Mean(IReadOnlyList<VectorData> vectors)
    {
        var sum = new SortedDictionary<uint, float>();
        foreach (SparseVector v in vectors)
        {
            for (var i = 0; i < v.Indices.Length; i++)
            {
                sum[v.Indices[i]] = sum.GetValueOrDefault(v.Indices[i]) + v.Values[i];
            }
        }

        foreach (var key in sum.Keys.ToList())
        {
            sum[key] /= vectors.Count;
        }

        return sum;
    }

    private static SparseVector ToSparse(SortedDictionary<uint, float> values) => new([.. values.Keys], [.. values.Values]);
}
