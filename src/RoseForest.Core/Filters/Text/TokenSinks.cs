namespace RoseForest.Core.Filters.Text;

/// <summary>Found once every query token (distinct) has been seen; stops early.</summary>
internal struct AllTokensSink(string[] query) : ITokenSink
{
    private ulong _seen;
    private bool[]? _seenMany;
    private int _missing = query.Length;

    public readonly bool Found => _missing == 0;

    public bool Accept(ReadOnlySpan<char> token)
    {
        for (var i = 0; i < query.Length; i++)
        {
            if (!token.SequenceEqual(query[i]))
            {
                continue;
            }

            // Query tokens are distinct, so at most one can equal this token.
            if (i < 64)
            {
                var bit = 1UL << i;
                if ((_seen & bit) == 0)
                {
                    _seen |= bit;
                    _missing--;
                }
            }
            else
            {
                _seenMany ??= new bool[query.Length];
                if (!_seenMany[i])
                {
                    _seenMany[i] = true;
                    _missing--;
                }
            }

            break;
        }

        return _missing > 0;
    }
}

/// <summary>Found at the first token that is a query token; stops there.</summary>
internal struct AnyTokenSink(string[] query) : ITokenSink
{
    public bool Found { get; private set; }

    public bool Accept(ReadOnlySpan<char> token)
    {
        foreach (var q in query)
        {
            if (token.SequenceEqual(q))
            {
                Found = true;
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Found when the phrase's tokens occur consecutively. Streams the document: after each token,
/// state j says "the last j tokens equal the phrase's first j", kept as a bit set (a bool array
/// past 63 tokens), so no token list is built.
/// </summary>
internal struct PhraseSink(string[] phrase) : ITokenSink
{
    private ulong _active;
    private bool[]? _activeMany;
    private bool[]? _next;

    public bool Found { get; private set; }

    public bool Accept(ReadOnlySpan<char> token)
    {
        var m = phrase.Length;
        if (m < 64)
        {
            ulong next = 0;
            for (var j = 0; j < m; j++)
            {
                if ((j == 0 || (_active & (1UL << j)) != 0) && token.SequenceEqual(phrase[j]))
                {
                    next |= 1UL << (j + 1);
                }
            }

            _active = next;
            Found = (next & (1UL << m)) != 0;
            return !Found;
        }

        _activeMany ??= new bool[m + 1];
        _next ??= new bool[m + 1];
        Array.Clear(_next);
        for (var j = 0; j < m; j++)
        {
            if ((j == 0 || _activeMany[j]) && token.SequenceEqual(phrase[j]))
            {
                _next[j + 1] = true;
            }
        }

        (_activeMany, _next) = (_next, _activeMany);
        Found = _activeMany[m];
        return !Found;
    }
}
