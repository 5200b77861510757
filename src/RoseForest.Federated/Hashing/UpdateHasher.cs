using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using RoseForest.Federated.Model;

namespace RoseForest.Federated.Hashing;

/// <summary>
/// The canonical SHA-256 of a client update, over the byte form documented in
/// docs/federated.md ("Update hash"). It follows the seed's <c>hash_model_update</c> order
/// (weights, bias, version, timestamp, loss, accuracy, samples count, agent id), generalised to
/// named tensors: all integers and floats little-endian.
/// </summary>
public static class UpdateHasher
{
    /// <summary>The SHA-256 of the update's canonical byte form.</summary>
    public static byte[] ComputeHash(ClientUpdate update) => SHA256.HashData(CanonicalBytes(update));

    /// <summary>The hash as lowercase hex (as the seed's <c>format!("{:x}")</c> prints it).</summary>
    public static string ComputeHashHex(ClientUpdate update) => Convert.ToHexStringLower(ComputeHash(update));

    /// <summary>The canonical byte form that is hashed.</summary>
    public static byte[] CanonicalBytes(ClientUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var writer = new ArrayBufferWriter<byte>();
        var tensors = update.Tensors.Tensors;
        WriteUInt32(writer, (uint)tensors.Count);
        foreach (var tensor in tensors)
        {
            var name = Encoding.UTF8.GetBytes(tensor.Name);
            WriteUInt32(writer, (uint)name.Length);
            writer.Write(name);
            WriteUInt32(writer, (uint)tensor.Shape.Count);
            foreach (var dim in tensor.Shape)
            {
                WriteUInt32(writer, (uint)dim);
            }

            foreach (var value in tensor.Data)
            {
                WriteSingle(writer, value);
            }
        }

        writer.Write([(byte)update.Kind]);
        WriteUInt32(writer, (uint)update.Round);
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(8), (ulong)update.TimestampUnixMs);
        writer.Advance(8);
        WriteSingle(writer, update.Metrics.Loss);
        WriteSingle(writer, update.Metrics.Accuracy);
        WriteUInt32(writer, (uint)update.SampleCount);
        writer.Write(Encoding.UTF8.GetBytes(update.ClientId));
        return writer.WrittenSpan.ToArray();
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    private static void WriteSingle(ArrayBufferWriter<byte> writer, float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }
}
