using System.Globalization;
using System.Text;
using RoseForest.Core;

namespace RoseForest.Hyperbolic.Training;

/// <summary>
/// The embeddings file: a first line <c># model=lorentz dim=10 curvature=1</c>, then one line per
/// node, its name and its coordinates separated by tabs (round-trip doubles). Poincaré rows are
/// ball coordinates, Lorentz rows the hyperboloid coordinates x0..xn, Euclid rows plain ones.
/// </summary>
internal static class EmbeddingFile
{
    public static void Write(Embedding embedding, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
        writer.Write(string.Create(CultureInfo.InvariantCulture, $"# model={ModelName(embedding.Model)} dim={embedding.Dimension} curvature={embedding.Curvature}\n"));
        var line = new StringBuilder();
        for (var i = 0; i < embedding.Count; i++)
        {
            line.Clear().Append(embedding.Names[i]);
            foreach (var x in embedding.Row(i))
            {
                line.Append('\t').Append(x.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write(line.Append('\n'));
        }
    }

    public static Embedding Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ValidationException("embeddings", $"no such file: {path}");
        }

        using var reader = new StreamReader(path);
        var header = reader.ReadLine() ?? throw new ValidationException("embeddings", $"{path} is empty.");
        var settings = header.TrimStart('#').Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(kv => kv.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        if (!header.StartsWith('#') || !settings.TryGetValue("model", out var modelName) || !TryParseModel(modelName, out var model)
            || !settings.TryGetValue("dim", out var dimText) || !int.TryParse(dimText, CultureInfo.InvariantCulture, out var dimension))
        {
            throw new ValidationException("embeddings", $"{path}: the first line must be '# model=poincare|lorentz|euclid dim=N curvature=C', got '{header}'.");
        }

        var curvature = settings.TryGetValue("curvature", out var cText) ? double.Parse(cText, CultureInfo.InvariantCulture) : 1.0;
        var stride = Embedding.StrideOf(model, dimension);
        var names = new List<string>();
        var coordinates = new List<double>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length != stride + 1)
            {
                throw new ValidationException("embeddings", $"{path}:{lineNumber}: expected a name and {stride} coordinates, got {parts.Length - 1}.");
            }

            names.Add(parts[0]);
            for (var i = 1; i < parts.Length; i++)
            {
                coordinates.Add(double.Parse(parts[i], CultureInfo.InvariantCulture));
            }
        }

        return new Embedding(model, dimension, curvature, [.. names], [.. coordinates]);
    }

    public static string ModelName(EmbeddingModel model) => model switch
    {
        EmbeddingModel.Poincare => "poincare",
        EmbeddingModel.Lorentz => "lorentz",
        _ => "euclid",
    };

    public static bool TryParseModel(string? text, out EmbeddingModel model)
    {
        switch (text?.ToUpperInvariant())
        {
            case "POINCARE":
                model = EmbeddingModel.Poincare;
                return true;
            case "LORENTZ" or "HYPERBOLOID":
                model = EmbeddingModel.Lorentz;
                return true;
            case "EUCLID" or "EUCLIDEAN":
                model = EmbeddingModel.Euclid;
                return true;
            default:
                model = default;
                return false;
        }
    }
}
