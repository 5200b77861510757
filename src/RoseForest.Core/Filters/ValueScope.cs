using System.Text.Json;

namespace RoseForest.Core.Filters;

/// <summary>
/// A thread's reusable list for the values found at a path, so evaluation allocates nothing per
/// point. Lists form a stack because a nested filter evaluates conditions while its own list of
/// array elements is still being walked. Dispose in reverse order of renting (use <c>using</c>).
/// </summary>
internal ref struct ValueScope
{
    [ThreadStatic]
    private static List<JsonElement>?[]? t_lists;

    [ThreadStatic]
    private static int t_depth;

    private ValueScope(List<JsonElement> values) => Values = values;

    public List<JsonElement> Values { get; }

    public static ValueScope Rent()
    {
        var lists = t_lists ??= new List<JsonElement>?[4];
        if (t_depth == lists.Length)
        {
            Array.Resize(ref lists, lists.Length * 2);
            t_lists = lists;
        }

        var list = lists[t_depth] ??= new List<JsonElement>(8);
        t_depth++;
        return new ValueScope(list);
    }

    /// <summary>Returns the list; it is cleared so it does not keep payload documents alive.</summary>
    public readonly void Dispose()
    {
        Values.Clear();
        t_depth--;
    }
}
