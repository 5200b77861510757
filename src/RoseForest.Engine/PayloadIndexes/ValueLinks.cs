using RoseForest.Index.Hnsw;

namespace RoseForest.Engine.PayloadIndexes;

/// <summary>
/// One graph's per-value links for one keyword or integer index: the link lists
/// (<see cref="PayloadLinks"/>) and which values have a linked block. Blocks have their own
/// small ids, kept apart from the index's value ids, which are renumbered when the index is
/// rebuilt on open; the value each block stands for is persisted as text beside the links.
/// </summary>
internal sealed class ValueLinks(PayloadLinks links)
{
    private readonly Dictionary<int, int> _blockOfValue = [];
    private readonly Dictionary<int, int> _valueOfBlock = [];
    private int _nextBlock;

    public PayloadLinks Links { get; } = links;

    /// <summary>True until the first maintenance pass has looked at every value of the index.</summary>
    public bool NeedsFullPass { get; set; } = true;

    public int BlockCount => _blockOfValue.Count;

    /// <summary>The value ids with a block, and their blocks.</summary>
    public IEnumerable<(int ValueId, int Block)> Blocks => _blockOfValue.Select(kv => (kv.Key, kv.Value));

    /// <summary>The block of a value, or -1 when it has none.</summary>
    public int BlockOf(int valueId) => _blockOfValue.GetValueOrDefault(valueId, -1);

    /// <summary>The value id a block stands for, or -1.</summary>
    public int ValueOf(int block) => _valueOfBlock.GetValueOrDefault(block, -1);

    /// <summary>Gives a value a new block.</summary>
    public int AddBlock(int valueId)
    {
        var block = _nextBlock++;
        _blockOfValue[valueId] = block;
        _valueOfBlock[block] = valueId;
        return block;
    }

    /// <summary>Restores a block read from a snapshot.</summary>
    public void RestoreBlock(int block, int valueId)
    {
        _blockOfValue[valueId] = block;
        _valueOfBlock[block] = valueId;
        _nextBlock = Math.Max(_nextBlock, block + 1);
    }

    /// <summary>Forgets a value's block (no point holds the value any more).</summary>
    public void RemoveValue(int valueId)
    {
        if (_blockOfValue.Remove(valueId, out var block))
        {
            _valueOfBlock.Remove(block);
        }
    }
}
