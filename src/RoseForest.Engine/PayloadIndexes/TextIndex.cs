using System.Text.Json;
using RoseForest.Core.Filters;
using RoseForest.Core.Filters.Text;
using RoseForest.Core.Payloads;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// Full text: each string value's distinct tokens (by the index's tokenizer) as token ids, and a
/// posting per token. Answers <c>text</c> (every query token in one value, as the payload
/// evaluation tests an array's strings one by one) and <c>text_any</c>; phrases are matched on
/// the payload with this tokenizer (filters are bound to it, see PayloadIndexSet).
/// </summary>
internal sealed class TextIndex : FieldIndex
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string?> _tokenOf = [];
    private readonly List<HashSet<int>?> _postings = [];
    private readonly Stack<int> _freeIds = new();
    private int[]?[]?[] _values = [];
    private long _points;

    public TextIndex(PayloadPath key, PayloadIndexParams schema)
        : base(key, schema)
    {
        var lowercase = schema.Lowercase ?? true;
        Tokenizer = schema.Tokenizer switch
        {
            TokenizerType.Whitespace => TextTokenizer.Whitespace(lowercase, schema.MinTokenLen, schema.MaxTokenLen),
            TokenizerType.Prefix => TextTokenizer.Prefix(lowercase, schema.MinTokenLen, schema.MaxTokenLen),
            _ => TextTokenizer.Word(lowercase, schema.MinTokenLen, schema.MaxTokenLen),
        };
    }

    public override TextTokenizer Tokenizer { get; }

    public override long Points => _points;

    public override void Set(int slot, JsonElement? payload, bool renewed)
    {
        Clear(slot);
        var values = new List<int[]>();
        foreach (var v in ValuesOf(payload))
        {
            if (v.ValueKind != JsonValueKind.String)
            {
                continue;
            }

            var ids = new SortedSet<int>();
            foreach (var token in Tokenizer.Tokens(v.GetString()!, TextTokenKind.Document))
            {
                ids.Add(IdFor(token));
            }

            values.Add([.. ids]);
        }

        if (values.Count == 0)
        {
            return;
        }

        if (slot >= _values.Length)
        {
            Array.Resize(ref _values, Math.Max(slot + 1, Math.Max(1024, _values.Length * 2)));
        }

        _values[slot] = [.. values];
        _points++;
        foreach (var id in values.SelectMany(v => v).Distinct())
        {
            (_postings[id] ??= []).Add(slot);
        }
    }

    public override void Clear(int slot)
    {
        if (slot >= _values.Length || _values[slot] is not { } values)
        {
            return;
        }

        foreach (var id in values.SelectMany(v => v!).Distinct())
        {
            var posting = _postings[id]!;
            posting.Remove(slot);
            if (posting.Count == 0)
            {
                _ids.Remove(_tokenOf[id]!);
                _tokenOf[id] = null;
                _postings[id] = null;
                _freeIds.Push(id);
            }
        }

        _values[slot] = null;
        _points--;
    }

    public override IndexedCondition? TryAnswer(FieldCondition c, long total)
    {
        if (c.MatchClause is not (MatchText or MatchTextAny) || c.RangeClause is not null || c.DatetimeRangeClause is not null ||
            c.GeoRadiusClause is not null || c.GeoBoundingBoxClause is not null || c.GeoPolygonClause is not null ||
            c.ValuesCountRange is not null || c.IsEmptyFlag is not null || c.IsNullFlag is not null)
        {
            return null;
        }

        var match = (TextMatch)c.MatchClause;
        if (!ReferenceEquals(match.Tokenizer, Tokenizer))
        {
            return null;
        }

        var all = match is MatchText;
        var ids = new List<int>();
        foreach (var token in Tokenizer.Tokens(match.Text, TextTokenKind.Query).Distinct(StringComparer.Ordinal))
        {
            if (_ids.TryGetValue(token, out var id))
            {
                ids.Add(id);
            }
            else if (all)
            {
                return new IndexedCondition(ConstantPredicate.False, Cardinality.Exact(0, []));
            }
        }

        if (ids.Count == 0)
        {
            return new IndexedCondition(ConstantPredicate.False, Cardinality.Exact(0, []));
        }

        var query = ids.Order().ToArray();
        var parts = ids.Select(id => Cardinality.Exact(_postings[id]!.Count, [new SetSource(_postings[id]!)])).ToList();
        return new IndexedCondition(
            new TokenTest(this, query, all),
            all ? Cardinality.All(parts, _points) : Cardinality.Any(parts, _points));
    }

    private int IdFor(string token)
    {
        if (_ids.TryGetValue(token, out var id))
        {
            return id;
        }

        if (_freeIds.TryPop(out id))
        {
            _tokenOf[id] = token;
        }
        else
        {
            id = _tokenOf.Count;
            _tokenOf.Add(token);
            _postings.Add(null);
        }

        _ids[token] = id;
        return id;
    }

    /// <summary>Some value holds every query token (text), or some query token (text_any). Token ids are sorted.</summary>
    private sealed class TokenTest(TextIndex index, int[] query, bool all) : SlotPredicate
    {
        public override bool Test(int slot)
        {
            var values = index._values;
            if ((uint)slot >= (uint)values.Length || values[slot] is not { } strings)
            {
                return false;
            }

            foreach (var tokens in strings)
            {
                var found = 0;
                foreach (var id in query)
                {
                    if (Array.BinarySearch(tokens!, id) >= 0)
                    {
                        found++;
                        if (!all)
                        {
                            return true;
                        }
                    }
                }

                if (all && found == query.Length)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
