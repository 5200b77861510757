using System.Text.Json;
using RoseForest.Storage.IO;

namespace RoseForest.Engine.Internal;

/// <summary>
/// Change-feed followers' retention pins of one collection: follower name → the next LSN it
/// needs. Kept in <c>&lt;collection&gt;/followers.json</c>, rewritten atomically on every change,
/// so pins survive restarts and crashes.
/// </summary>
internal sealed class FollowerPins
{
    public const string FileName = "followers.json";

    private readonly string _path;
    private readonly Dictionary<string, long> _pins;

    private FollowerPins(string path, Dictionary<string, long> pins)
    {
        _path = path;
        _pins = pins;
    }

    public static FollowerPins Open(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var pins = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllBytes(path)) ?? []
            : [];
        return new FollowerPins(path, new Dictionary<string, long>(pins, StringComparer.Ordinal));
    }

    /// <summary>The lowest pinned LSN, or null without followers.</summary>
    public long? Minimum
    {
        get
        {
            lock (_pins)
            {
                return _pins.Count == 0 ? null : _pins.Values.Min();
            }
        }
    }

    public void Set(string follower, long nextLsn)
    {
        lock (_pins)
        {
            if (_pins.TryGetValue(follower, out var current) && current == nextLsn)
            {
                return;
            }

            _pins[follower] = nextLsn;
            Save();
        }
    }

    public bool Remove(string follower)
    {
        lock (_pins)
        {
            if (!_pins.Remove(follower))
            {
                return false;
            }

            Save();
            return true;
        }
    }

    private void Save() => DurableFile.WriteAllBytesAtomic(_path, JsonSerializer.SerializeToUtf8Bytes(_pins));
}
