using System.Globalization;

namespace RoseForest.Embeddings.Bench;

internal sealed record Settings(int Sentences, int[] BatchSizes, int Repeats, string Input, int Seed, string? Out)
{
    public static Settings Parse(string[] args)
    {
        var s = new Settings(1024, [1, 8, 32, 64], 3, Corpus.WordNetNouns, 42, null);
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            s = args[i] switch
            {
                "--sentences" => s with { Sentences = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch-sizes" => s with { BatchSizes = [.. value.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))] },
                "--repeats" => s with { Repeats = int.Parse(value, CultureInfo.InvariantCulture) },
                "--input" => s with { Input = value },
                "--seed" => s with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--out" => s with { Out = value },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
            i++;
        }
        return s;
    }
}
