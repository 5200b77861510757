using System.Text.Json;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Core.Filters;

/// <summary>
/// Qdrant's <c>nested</c> condition: the filter is applied to each object element of the array at
/// <see cref="Key"/> on its own, and the condition holds when some element passes it. So
/// <c>must</c> clauses must all hold for the same element, and a <c>must_not</c> inside excludes
/// elements, not points. <c>key</c> gets <c>[]</c> appended unless it ends with it; elements that
/// are not objects are skipped; inside, keys are relative to the element, and has_id, has_vector
/// and slice never match (Qdrant: lib/segment/src/payload_storage/query_checker.rs).
/// </summary>
public sealed class NestedCondition : Condition
{
    private readonly PayloadPath _elements;

    /// <summary>Creates the condition.</summary>
    public NestedCondition(PayloadPath key, Filter filter)
    {
        Key = key;
        Filter = filter;
        _elements = key.ArrayKey();
    }

    /// <summary>The path of the array, as given.</summary>
    public PayloadPath Key { get; }

    /// <summary>The filter each element is tested with.</summary>
    public Filter Filter { get; }

    internal override bool Matches(in FilterPoint point, JsonElement? payload)
    {
        if (payload is not { } p)
        {
            return false;
        }

        using var scope = ValueScope.Rent();
        _elements.Resolve(p, scope.Values);
        var inner = point.Nested();
        foreach (var element in scope.Values)
        {
            if (element.ValueKind == JsonValueKind.Object && Filter.Matches(inner, element))
            {
                return true;
            }
        }

        return false;
    }

    internal override Condition BindTokenizers(TokenizerBinding binding, PayloadPath? prefix)
    {
        var bound = Filter.BindTokenizers(binding, prefix is null ? _elements : prefix.Append(_elements));
        return ReferenceEquals(bound, Filter) ? this : new NestedCondition(Key, bound);
    }
}
