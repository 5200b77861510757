using System.Collections.Frozen;
using System.Security.Cryptography;

namespace RoseForest.Dashboard.Assets;

/// <summary>The dashboard's files, read once from this assembly's embedded resources (<c>dashboard/…</c>).</summary>
internal sealed class EmbeddedAssets
{
    private const string Prefix = "dashboard/";

    private EmbeddedAssets(FrozenDictionary<string, Asset> files) => Files = files;

    /// <summary>The files by path below <c>/dashboard/</c> (<c>index.html</c>, <c>js/app.js</c>, …).</summary>
    public FrozenDictionary<string, Asset> Files { get; }

    public static EmbeddedAssets Load()
    {
        var assembly = typeof(EmbeddedAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[Prefix.Length..].Replace('\\', '/');
            files[path] = new Asset(bytes, ContentTypes.For(path), "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"");
        }

        return new EmbeddedAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }
}

/// <summary>One embedded file with its content type and entity tag.</summary>
internal sealed record Asset(byte[] Bytes, string ContentType, string ETag);
