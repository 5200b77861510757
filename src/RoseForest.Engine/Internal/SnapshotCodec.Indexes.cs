using System.Text;
using RoseForest.Core.Payloads;
using RoseForest.Engine.PayloadIndexes;
using RoseForest.Index.Hnsw;
using RoseForest.Storage;
using RoseForest.Storage.Snapshots;

namespace RoseForest.Engine.Internal;

internal static partial class SnapshotCodec
{
    public const uint IndexesTag = 0x58444950; // "PIDX"
    public const uint ValueLinksTag = 0x4B4E4C50; // "PLNK"

    /// <summary>The payload index definitions and the graphs' per-value links, as pinned.</summary>
    private static void WriteIndexSections(SnapshotWriter writer, TableView view)
    {
        if (view.IndexDefinitions.Count == 0)
        {
            return;
        }

        var buffer = new ByteBuffer();
        buffer.WriteInt32(view.IndexDefinitions.Count);
        foreach (var (key, schema) in view.IndexDefinitions)
        {
            WriteText(buffer, key);
            buffer.WriteInt32(schema.Length);
            buffer.Write(schema);
        }

        writer.WriteSection(IndexesTag, buffer.Span.ToArray());
        foreach (var section in view.ValueLinkSections)
        {
            writer.WriteSection(ValueLinksTag, section.Section);
        }
    }

    /// <summary>A "PLNK" section: which vector and index, the blocks' values, the links image. On the writer.</summary>
    public static byte[] ValueLinksSection(string space, string key, ValueLinks links, IValueBlocks values, int slotCount)
    {
        var buffer = new ByteBuffer();
        WriteText(buffer, space);
        WriteText(buffer, key);
        var blocks = links.Blocks.ToList();
        buffer.WriteInt32(blocks.Count);
        foreach (var (valueId, block) in blocks)
        {
            var text = Encoding.UTF8.GetBytes(values.ValueText(valueId));
            buffer.WriteInt32(block);
            buffer.WriteInt32(text.Length);
            buffer.Write(text);
        }

        buffer.Write(links.Links.Serialize(slotCount));
        return buffer.Span.ToArray();
    }

    /// <summary>
    /// Rebuilds the indexes from the loaded payloads and puts the graphs' links back. Links that
    /// cannot be read are dropped (they are rebuilt after open); a bad index definition is damage.
    /// </summary>
    private static void RestoreIndexes(PointTable table, List<(uint Tag, byte[] Payload)> sections, string file)
    {
        foreach (var (tag, payload) in sections.Where(s => s.Tag == IndexesTag))
        {
            try
            {
                var r = new SpanReader(payload);
                var count = r.ReadInt32();
                for (var i = 0; i < count; i++)
                {
                    var key = PayloadPath.Parse(ReadText(ref r), "field_name");
                    var schema = PayloadIndexSet.ParseSchema(r.ReadBytes(r.ReadInt32()));
                    table.Indexes.Install(table.BuildIndex(key, schema));
                }
            }
            catch (Exception e) when (e is InvalidDataException or RoseForestException or System.Text.Json.JsonException)
            {
                throw new StorageCorruptionException(file, 0, $"the payload index section is unreadable: {e.Message}");
            }
        }

        foreach (var (tag, payload) in sections.Where(s => s.Tag == ValueLinksTag))
        {
            try
            {
                var r = new SpanReader(payload);
                var space = table.DenseNamed(ReadText(ref r));
                var key = ReadText(ref r);
                var blocks = new List<(int Block, string Value)>();
                for (var count = r.ReadInt32(); count > 0; count--)
                {
                    var block = r.ReadInt32();
                    blocks.Add((block, Encoding.UTF8.GetString(r.ReadBytes(r.ReadInt32()))));
                }

                if (space?.Graph is not { } graph || table.Indexes.Find(key) is not IValueBlocks values)
                {
                    continue;
                }

                var links = new ValueLinks(PayloadLinks.Deserialize(graph, r.ReadBytes(r.Remaining)));
                foreach (var (block, value) in blocks)
                {
                    var valueId = values.IdOfText(value);
                    if (valueId >= 0)
                    {
                        links.RestoreBlock(block, valueId);
                    }
                    else
                    {
                        links.Links.DropBlock(block);
                    }
                }

                space.ValueLinks[key] = links;
            }
            catch (InvalidDataException)
            {
                // Derived data: the writer relinks the blocks after open.
            }
        }
    }

    private static void WriteText(ByteBuffer buffer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        buffer.WriteUInt16(checked((ushort)bytes.Length));
        buffer.Write(bytes);
    }

    private static string ReadText(ref SpanReader r) => Encoding.UTF8.GetString(r.ReadBytes(r.ReadUInt16()));
}
