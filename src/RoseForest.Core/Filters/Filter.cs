using System.Text.Json;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>
/// A filter in Qdrant's grammar: all of <see cref="Must"/>, at least one of <see cref="Should"/>
/// (when given: an empty <c>should</c> list matches nothing, as in Qdrant), none of
/// <see cref="MustNot"/>, and at least <c>min_count</c> of the <see cref="MinShould"/>
/// conditions. An empty filter matches every point.
/// </summary>
public sealed class Filter
{
    /// <summary>Creates a filter.</summary>
    public Filter(
        IReadOnlyList<Condition>? must = null,
        IReadOnlyList<Condition>? should = null,
        IReadOnlyList<Condition>? mustNot = null,
        MinShould? minShould = null)
    {
        Must = must ?? [];
        Should = should;
        MustNot = mustNot ?? [];
        MinShould = minShould;
    }

    /// <summary>A filter that matches every point.</summary>
    public static Filter Empty { get; } = new();

    /// <summary>Conditions that must all hold.</summary>
    public IReadOnlyList<Condition> Must { get; }

    /// <summary>Conditions of which at least one must hold; null places no constraint.</summary>
    public IReadOnlyList<Condition>? Should { get; }

    /// <summary>Conditions none of which may hold.</summary>
    public IReadOnlyList<Condition> MustNot { get; }

    /// <summary>Conditions of which at least a minimum number must hold.</summary>
    public MinShould? MinShould { get; }

    /// <summary>True when the filter places no constraint.</summary>
    public bool IsEmpty => Must.Count == 0 && Should is null && MustNot.Count == 0 && MinShould is null;

    /// <summary>A filter whose conditions must all hold.</summary>
    public static Filter Where(params Condition[] must) => new(must: must);

    /// <summary>
    /// True when the point with this id and payload passes the filter. Without vector information
    /// <c>has_vector</c> holds for the unnamed vector <c>""</c> only.
    /// </summary>
    public bool Matches(PointId id, JsonElement? payload) => Matches(new FilterPoint(id, null, inNested: false), payload);

    /// <summary>True when the point passes the filter; <paramref name="vectors"/> answers <c>has_vector</c> (null: as the two-argument overload).</summary>
    public bool Matches(PointId id, JsonElement? payload, IPointVectors? vectors) => Matches(new FilterPoint(id, vectors, inNested: false), payload);

    /// <summary>
    /// This filter with every full-text match (text, phrase, text_any) on a key for which
    /// <paramref name="tokenizerFor"/> returns a tokenizer evaluated with that tokenizer; keys for
    /// which it returns null keep the default (Qdrant's word tokenizer, lowercased). The key passed
    /// is the full path, so a condition inside <c>nested</c> on <c>cities</c> asks for
    /// <c>cities[].name</c>, as Qdrant selects a nested field's index. Call it once per query
    /// with the collection's text index configuration; the filter itself is unchanged.
    /// </summary>
    public Filter WithTextTokenizers(Func<PayloadPath, TextTokenizer?> tokenizerFor) =>
        BindTokenizers(new TokenizerBinding(tokenizerFor), null);

    /// <summary>Indexed loops, not foreach over the interface: no enumerator is boxed per point.</summary>
    internal bool Matches(in FilterPoint point, JsonElement? payload)
    {
        var must = Must;
        for (var i = 0; i < must.Count; i++)
        {
            if (!must[i].Matches(point, payload))
            {
                return false;
            }
        }

        var mustNot = MustNot;
        for (var i = 0; i < mustNot.Count; i++)
        {
            if (mustNot[i].Matches(point, payload))
            {
                return false;
            }
        }

        if (Should is { } should)
        {
            var any = false;
            for (var i = 0; i < should.Count && !any; i++)
            {
                any = should[i].Matches(point, payload);
            }

            if (!any)
            {
                return false;
            }
        }

        return MinShould is null || MinShould.Matches(point, payload);
    }

    internal Filter BindTokenizers(TokenizerBinding binding, PayloadPath? prefix)
    {
        var must = Bind(Must, binding, prefix);
        var should = Should is null ? null : Bind(Should, binding, prefix);
        var mustNot = Bind(MustNot, binding, prefix);
        var minShould = MinShould is null ? null : Bind(MinShould.Conditions, binding, prefix);
        if (ReferenceEquals(must, Must) && ReferenceEquals(should, Should) && ReferenceEquals(mustNot, MustNot) &&
            (MinShould is null || ReferenceEquals(minShould, MinShould.Conditions)))
        {
            return this;
        }

        return new Filter(must, should, mustNot, MinShould is null ? null : new MinShould(minShould!, MinShould.MinCount));
    }

    /// <summary>The list with its conditions bound, or the same list when none changed.</summary>
    private static IReadOnlyList<Condition> Bind(IReadOnlyList<Condition> conditions, TokenizerBinding binding, PayloadPath? prefix)
    {
        Condition[]? changed = null;
        for (var i = 0; i < conditions.Count; i++)
        {
            var bound = conditions[i].BindTokenizers(binding, prefix);
            if (changed is null && !ReferenceEquals(bound, conditions[i]))
            {
                changed = [.. conditions];
            }

            if (changed is not null)
            {
                changed[i] = bound;
            }
        }

        return changed ?? conditions;
    }
}

/// <summary>At least <see cref="MinCount"/> of <see cref="Conditions"/> must hold.</summary>
public sealed class MinShould(IReadOnlyList<Condition> conditions, int minCount)
{
    /// <summary>The candidate conditions.</summary>
    public IReadOnlyList<Condition> Conditions { get; } = conditions;

    /// <summary>How many of them must hold (Qdrant's API refuses 0; the model treats 0 as no constraint).</summary>
    public int MinCount { get; } = minCount;

    internal bool Matches(in FilterPoint point, JsonElement? payload)
    {
        if (MinCount <= 0)
        {
            return true;
        }

        var hits = 0;
        var conditions = Conditions;
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i].Matches(point, payload) && ++hits >= MinCount)
            {
                return true;
            }
        }

        return false;
    }
}
