// Index a folder of text files in RoseForest through Microsoft.Extensions.VectorData, then search it.
//
//   dotnet run --project samples/DocumentSearch -- index ./notes
//   dotnet run --project samples/DocumentSearch -- search "when do roses bloom"
//
// Options: --data FOLDER (the embedded database, default ./document-search-data), --url URL (use
// a running server instead), --hashing (a model-free hashing embedder instead of all-MiniLM-L6-v2).
using DocumentSearch;
using Microsoft.Extensions.AI;
using RoseForest.Client;
using RoseForest.Contracts;
using RoseForest.Embeddings.Hashing;
using RoseForest.Embeddings.MiniLm;
using RoseForest.Engine;
using RoseForest.VectorData;

if (args.Length < 2 || args[0] is not ("index" or "search"))
{
    Console.Error.WriteLine("usage: DocumentSearch index FOLDER | search TEXT  [--data FOLDER] [--url URL] [--hashing]");
    return 1;
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var url = Option("--url");
IEmbeddingGenerator<string, Embedding<float>> generator = args.Contains("--hashing")
    ? new HashingEmbeddingGenerator(384)
    : new MiniLmEmbeddingGenerator();

await using IVectorDatabase db = url is not null
    ? new RoseForestClient(new RoseForestClientOptions { BaseAddress = new Uri(url) })
    : await RoseForestDatabase.OpenAsync(Option("--data") ?? "./document-search-data");
using var store = new RoseForestVectorStore(db, new RoseForestVectorStoreOptions { EmbeddingGenerator = generator });
var passages = store.GetCollection<Guid, Passage>("documents");

if (args[0] == "index")
{
    var count = await DocumentIndex.IndexFolderAsync(passages, args[1]);
    Console.WriteLine($"indexed {count} paragraphs from {args[1]}");
}
else
{
    foreach (var hit in await DocumentIndex.SearchAsync(passages, args[1]))
    {
        var text = hit.Record.Text.Length > 100 ? hit.Record.Text[..100] + "…" : hit.Record.Text;
        Console.WriteLine($"{hit.Score:F3}  {hit.Record.File} ¶{hit.Record.Paragraph}  {text.ReplaceLineEndings(" ")}");
    }
}

return 0;
