using System.Buffers.Binary;
using System.Text.Json;
using RoseForest.Federated.SecureAggregation;

namespace RoseForest.Federated.Wire;

/// <summary>
/// The secure-aggregation messages on the wire (JSON, binary values as base64): keys
/// <c>{"client_id", "channel_public_key", "mask_public_key"}</c>; shares <c>{"client_id",
/// "commitment", "shares": [{"from", "to", "ciphertext"}]}</c>; a masked input
/// <c>{"client_id", "values"}</c> (u32 little-endian); the unmask request <c>{"survivors",
/// "dropped"}</c>; an unmask response <c>{"client_id", "self_mask_shares": {id: {"x", "y"}},
/// "mask_key_shares": {...}}</c> (y: the field element, 66 bytes little-endian).
/// </summary>
public static class SecAggWire
{
    private const int KeyBytes = 32;

    /// <summary>Writes advertised keys' members.</summary>
    public static void Write(Utf8JsonWriter w, AdvertisedKeys keys)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(keys);
        w.WriteString("client_id", keys.ClientId);
        w.WriteBase64String("channel_public_key", keys.ChannelPublicKey);
        w.WriteBase64String("mask_public_key", keys.MaskPublicKey);
    }

    /// <summary>Reads advertised keys.</summary>
    public static AdvertisedKeys ReadKeys(JsonElement e, string field)
    {
        WireJson.RequireObject(e, field, "client_id", "channel_public_key", "mask_public_key", "session");
        return new AdvertisedKeys(ClientId(e, field), Bytes(e, "channel_public_key", field, KeyBytes), Bytes(e, "mask_public_key", field, KeyBytes));
    }

    /// <summary>Writes a share message's members.</summary>
    public static void Write(Utf8JsonWriter w, ShareKeysMessage message)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(message);
        w.WriteString("client_id", message.ClientId);
        w.WriteBase64String("commitment", message.SelfMaskCommitment);
        WriteShares(w, "shares", message.Shares);
    }

    /// <summary>Reads a share message.</summary>
    public static ShareKeysMessage ReadShareKeys(JsonElement e, string field)
    {
        WireJson.RequireObject(e, field, "client_id", "commitment", "shares", "session");
        var id = ClientId(e, field);
        var shares = ReadShares(WireJson.Required(e, "shares", field), WireJson.Join(field, "shares"));
        if (shares.Any(s => s.From != id))
        {
            throw new WireFormatException(WireJson.Join(field, "shares"), "every share must be from the sending client.");
        }

        return new ShareKeysMessage(id, shares, Bytes(e, "commitment", field, 32));
    }

    /// <summary>Writes an array of encrypted shares.</summary>
    public static void WriteShares(Utf8JsonWriter w, string name, IEnumerable<EncryptedShare> shares)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(shares);
        w.WriteStartArray(name);
        foreach (var s in shares)
        {
            w.WriteStartObject();
            w.WriteString("from", s.From);
            w.WriteString("to", s.To);
            w.WriteBase64String("ciphertext", s.Ciphertext);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Reads an array of encrypted shares.</summary>
    public static IReadOnlyList<EncryptedShare> ReadShares(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new WireFormatException(field, "must be an array.");
        }

        var list = new List<EncryptedShare>();
        var i = 0;
        foreach (var s in e.EnumerateArray())
        {
            var f = $"{field}[{i++}]";
            WireJson.RequireObject(s, f, "from", "to", "ciphertext");
            list.Add(new EncryptedShare(
                WireJson.String(s, "from", f) ?? throw new WireFormatException(f + ".from", "is required."),
                WireJson.String(s, "to", f) ?? throw new WireFormatException(f + ".to", "is required."),
                Bytes(s, "ciphertext", f, -1)));
        }

        return list;
    }

    /// <summary>Writes a masked input's members.</summary>
    public static void Write(Utf8JsonWriter w, MaskedInput input)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(input);
        w.WriteString("client_id", input.ClientId);
        var bytes = new byte[input.Values.Length * sizeof(uint)];
        for (var i = 0; i < input.Values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * sizeof(uint)), input.Values[i]);
        }

        w.WriteBase64String("values", bytes);
    }

    /// <summary>Reads a masked input.</summary>
    public static MaskedInput ReadMasked(JsonElement e, string field)
    {
        WireJson.RequireObject(e, field, "client_id", "values", "session");
        var bytes = Bytes(e, "values", field, -1);
        if (bytes.Length % sizeof(uint) != 0)
        {
            throw new WireFormatException(WireJson.Join(field, "values"), "must hold whole little-endian u32 values.");
        }

        var values = new uint[bytes.Length / sizeof(uint)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * sizeof(uint)));
        }

        return new MaskedInput(ClientId(e, field), values);
    }

    /// <summary>Writes an unmask request's members.</summary>
    public static void Write(Utf8JsonWriter w, UnmaskRequest request)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(request);
        WriteIds(w, "survivors", request.Survivors);
        WriteIds(w, "dropped", request.Dropped);
    }

    /// <summary>Reads an unmask request.</summary>
    public static UnmaskRequest ReadUnmaskRequest(JsonElement e, string field)
    {
        WireJson.RequireObject(e, field, "survivors", "dropped");
        return new UnmaskRequest(Ids(WireJson.Required(e, "survivors", field), WireJson.Join(field, "survivors")), Ids(WireJson.Required(e, "dropped", field), WireJson.Join(field, "dropped")));
    }

    /// <summary>Writes an unmask response's members.</summary>
    public static void Write(Utf8JsonWriter w, UnmaskResponse response)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(response);
        w.WriteString("client_id", response.ClientId);
        WriteShareMap(w, "self_mask_shares", response.SelfMaskShares);
        WriteShareMap(w, "mask_key_shares", response.MaskKeyShares);
    }

    /// <summary>Reads an unmask response.</summary>
    public static UnmaskResponse ReadUnmaskResponse(JsonElement e, string field)
    {
        WireJson.RequireObject(e, field, "client_id", "self_mask_shares", "mask_key_shares", "session");
        return new UnmaskResponse(
            ClientId(e, field),
            ReadShareMap(WireJson.Required(e, "self_mask_shares", field), WireJson.Join(field, "self_mask_shares")),
            ReadShareMap(WireJson.Required(e, "mask_key_shares", field), WireJson.Join(field, "mask_key_shares")));
    }

    /// <summary>Writes an array of client ids.</summary>
    public static void WriteIds(Utf8JsonWriter w, string name, IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(ids);
        w.WriteStartArray(name);
        foreach (var id in ids)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
    }

    /// <summary>Reads an array of client ids.</summary>
    public static IReadOnlyList<string> Ids(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
        {
            throw new WireFormatException(field, "must be an array of client ids.");
        }

        return [.. e.EnumerateArray().Select(x => x.GetString()!)];
    }

    private static void WriteShareMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, ShamirShare> shares)
    {
        w.WriteStartObject(name);
        foreach (var (id, share) in shares.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject(id);
            w.WriteNumber("x", share.X);
            w.WriteBase64String("y", ShamirSecretSharing.ToBytes(share.Y));
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static Dictionary<string, ShamirShare> ReadShareMap(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException(field, "must be an object of shares by client id.");
        }

        var map = new Dictionary<string, ShamirShare>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject())
        {
            var f = WireJson.Join(field, p.Name);
            WireJson.RequireObject(p.Value, f, "x", "y");
            var x = (int)(WireJson.Integer(p.Value, "x", f, 1, 1 << 20) ?? throw new WireFormatException(f + ".x", "is required."));
            var y = ShamirSecretSharing.FromBytes(Bytes(p.Value, "y", f, ShamirSecretSharing.ElementBytes));
            if (y >= ShamirSecretSharing.Prime)
            {
                throw new WireFormatException(f + ".y", "is not an element of the field.");
            }

            map[p.Name] = new ShamirShare(x, y);
        }

        return map;
    }

    private static string ClientId(JsonElement e, string field) =>
        WireJson.String(e, "client_id", field) is { Length: > 0 } id ? id : throw new WireFormatException(WireJson.Join(field, "client_id"), "is required.");

    private static byte[] Bytes(JsonElement e, string name, string field, int length)
    {
        var f = WireJson.Join(field, name);
        var value = WireJson.Required(e, name, field);
        if (value.ValueKind != JsonValueKind.String || !value.TryGetBytesFromBase64(out var bytes))
        {
            throw new WireFormatException(f, "must be a base64 string.");
        }

        return length >= 0 && bytes.Length != length ? throw new WireFormatException(f, $"must be {length} bytes, got {bytes.Length}.") : bytes;
    }
}
