using System.CommandLine;
using RoseForest.Datasets;
using RoseForest.Hyperbolic.CommandLine;

namespace RoseForest.Bench;

/// <summary>The benchmark verbs: measured numbers for docs/benchmarks.md.</summary>
internal static class BenchCommands
{
    public static IEnumerable<Command> Create() => [Storage(), Ann(), Http(), Grpc(), VectorData(), Embed(), EmbedSearch(), Cluster(), ClusterLocality(), MakeDatasets(), Sparse(), Multivector(), Adapters(), SelfOrgBench.Command()];

    /// <summary>The <c>sparse</c> verb: exact sparse search (inverted index, with and without idf) on a synthetic SPLADE-like set against brute force.</summary>
    private static Command Sparse()
    {
        var docs = new Option<int>("--docs") { Description = "Documents.", DefaultValueFactory = _ => 100_000 };
        var nnz = new Option<int>("--nnz") { Description = "Mean non-zeros per document (uniform in nnz/2 .. 1.5 nnz).", DefaultValueFactory = _ => 100 };
        var vocabulary = new Option<int>("--vocabulary") { Description = "Vocabulary size.", DefaultValueFactory = _ => 30_000 };
        var zipf = new Option<double>("--zipf") { Description = "Zipf exponent of term frequencies.", DefaultValueFactory = _ => 1.0 };
        var queries = new Option<int>("--queries") { Description = "Queries to time.", DefaultValueFactory = _ => 500 };
        var queryNnz = new Option<int>("--query-nnz") { Description = "Mean non-zeros per query.", DefaultValueFactory = _ => 30 };
        var baseline = new Option<int>("--baseline-queries") { Description = "Queries the brute-force baseline times.", DefaultValueFactory = _ => 100 };
        var dump = new Option<string?>("--dump") { Description = "Write the data and RoseForest's idf top-10 here for bench/peers/sparse_scipy.py." };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("sparse", "Sparse k=10 search QPS (inverted index, plain and idf) vs brute force on a synthetic SPLADE-like set.") { docs, nnz, vocabulary, zipf, queries, queryNnz, baseline, dump, json };
        command.SetAction((parse, ct) => DataModelBench.SparseAsync(new DataModelBench.SparseOptions(parse.GetValue(docs), parse.GetValue(nnz), parse.GetValue(vocabulary), parse.GetValue(zipf), parse.GetValue(queries), parse.GetValue(queryNnz), parse.GetValue(baseline), parse.GetValue(dump), parse.GetValue(json)), ct));
        return command;
    }

    /// <summary>The <c>multivector</c> verb: max_sim search QPS on a synthetic ColBERT-like set against brute force.</summary>
    private static Command Multivector()
    {
        var docs = new Option<int>("--docs") { Description = "Documents.", DefaultValueFactory = _ => 10_000 };
        var tokens = new Option<int>("--tokens") { Description = "Token vectors per document.", DefaultValueFactory = _ => 32 };
        var dim = new Option<int>("--dim") { Description = "Token vector size.", DefaultValueFactory = _ => 128 };
        var queryTokens = new Option<int>("--query-tokens") { Description = "Token vectors per query.", DefaultValueFactory = _ => 32 };
        var queries = new Option<int>("--queries") { Description = "Queries to time.", DefaultValueFactory = _ => 20 };
        var topics = new Option<int>("--topics") { Description = "Topic centroids the tokens scatter around.", DefaultValueFactory = _ => 100 };
        var dump = new Option<string?>("--dump") { Description = "Write the data and RoseForest's top-10 here for bench/peers/multivector_numpy.py." };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("multivector", "Multivector (max_sim) k=10 search QPS vs brute force on a synthetic ColBERT-like set.") { docs, tokens, dim, queryTokens, queries, topics, dump, json };
        command.SetAction((parse, ct) => DataModelBench.MultivectorAsync(new DataModelBench.MultiOptions(parse.GetValue(docs), parse.GetValue(tokens), parse.GetValue(dim), parse.GetValue(queryTokens), parse.GetValue(queries), parse.GetValue(topics), parse.GetValue(dump), parse.GetValue(json)), ct));
        return command;
    }

    /// <summary>The <c>embed</c> verb: training and evaluation numbers as JSON for docs/benchmarks.md.</summary>
    private static Command Embed()
    {
        var input = new GraphInput();
        var training = new TrainingOptionsInput();
        var output = new Option<string?>("--out") { Description = "Also write the embeddings file here." };
        var json = new Option<string?>("--json") { Description = "Write the results to this JSON file." };
        var knn = new Option<int>("--knn-queries") { Description = "Also check this many exact k=10 searches in a collection against brute force and time them.", DefaultValueFactory = _ => 0 };
        var command = new Command("embed", "Train a hierarchy embedding and report mean rank, MAP and training time (issue 5).") { output, json, knn };
        input.AddTo(command);
        training.AddTo(command);
        command.SetAction((parse, ct) => EmbedBench.RunAsync(input.Load(parse), input.Describe(parse), training.Build(parse), training.Initial(parse), parse.GetValue(output), parse.GetValue(json), parse.GetValue(knn), ct));
        return command;
    }

    private static Command EmbedSearch()
    {
        var embeddings = new Option<string>("--embeddings") { Description = "An embeddings file (as written by embed hierarchy).", Required = true };
        var queries = new Option<int>("--queries") { Description = "Rows held out as queries (seeded sample).", DefaultValueFactory = _ => 1000 };
        var m = new Option<int>("--m") { Description = "HNSW links per node (layer 0 keeps 2m).", DefaultValueFactory = _ => 16 };
        var efc = new Option<int>("--ef-construction") { Description = "HNSW beam width while building.", DefaultValueFactory = _ => 200 };
        var efs = new Option<string>("--ef") { Description = "Comma-separated beam widths to measure.", DefaultValueFactory = _ => "10,20,40,80,160" };
        var threads = new Option<int>("--threads") { Description = "Threads that build the index.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var json = new Option<string?>("--json") { Description = "Write the results to this JSON file." };
        var deleteFraction = new Option<double>("--delete-fraction") { Description = "Then delete this random fraction of the points (the collection consolidates its graph) and measure again against the survivors." };
        var command = new Command("embed-search", "Exact and HNSW k=10 search over hierarchy embeddings in their geometry: agreement with brute force, recall@10 and QPS per ef.")
        {
            embeddings, queries, m, efc, efs, threads, json, deleteFraction,
        };
        command.SetAction((parse, ct) => EmbedSearchBench.RunAsync(
            new EmbedSearchBench.Options(
                parse.GetValue(embeddings)!,
                parse.GetValue(queries),
                parse.GetValue(m),
                parse.GetValue(efc),
                [.. parse.GetValue(efs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture))],
                parse.GetValue(threads),
                parse.GetValue(json),
                parse.GetValue(deleteFraction)),
            ct));
        return command;
    }

    private static Command Http()
    {
        var dir = new Option<string>("--dataset-dir") { Description = "Folder with Fashion-MNIST's IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections (and in-process tasks).", DefaultValueFactory = _ => 16 };
        var queries = new Option<int>("--queries") { Description = "Queries to time.", DefaultValueFactory = _ => 20_000 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("http", "Upsert and query throughput through the REST API over loopback vs in-process, on Fashion-MNIST.") { dir, connections, queries, json };
        command.SetAction((parse, ct) => HttpBench.RunAsync(parse.GetValue(dir)!, parse.GetValue(connections), parse.GetValue(queries), parse.GetValue(json), ct));
        return command;
    }

    private static Command VectorData()
    {
        var points = new Option<int>("--points") { Description = "Records to upsert (seeded random unit vectors).", DefaultValueFactory = _ => 20_000 };
        var dimension = new Option<int>("--dimension") { Description = "Vector dimension.", DefaultValueFactory = _ => 384 };
        var queries = new Option<int>("--queries") { Description = "Queries to time per row.", DefaultValueFactory = _ => 5_000 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent tasks (and connections).", DefaultValueFactory = _ => 16 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("vectordata", "k=10 search QPS through the Microsoft.Extensions.VectorData provider in process and over REST, beside the same search without it.") { points, dimension, queries, concurrency, json };
        command.SetAction((parse, ct) => VectorDataBench.RunAsync(parse.GetValue(points), parse.GetValue(dimension), parse.GetValue(queries), parse.GetValue(concurrency), parse.GetValue(json), ct));
        return command;
    }

    private static Command Grpc()
    {
        var dir = new Option<string>("--dataset-dir") { Description = "Folder with Fashion-MNIST's IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var connections = new Option<int>("--connections") { Description = "Concurrent requests in flight (and in-process tasks).", DefaultValueFactory = _ => 16 };
        var queries = new Option<int>("--queries") { Description = "Queries to time per door.", DefaultValueFactory = _ => 20_000 };
        var channels = new Option<int>("--grpc-channels") { Description = "QdrantClients (HTTP/2 connections) the gRPC requests are spread over.", DefaultValueFactory = _ => 1 };
        var points = new Option<int>("--points") { Description = "Training vectors to upsert (at most 60,000).", DefaultValueFactory = _ => 60_000 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("grpc", "Upsert and query throughput through Qdrant's gRPC API (Qdrant.Client), the REST API and in-process, on the same Fashion-MNIST data.") { dir, connections, queries, channels, points, json };
        command.SetAction((parse, ct) => GrpcBench.RunAsync(parse.GetValue(dir)!, parse.GetValue(connections), parse.GetValue(queries), Math.Max(1, parse.GetValue(channels)), parse.GetValue(points), parse.GetValue(json), ct));
        return command;
    }

    private static Command Adapters()
    {
        var dir = new Option<string>("--dataset-dir") { Description = "Folder with Fashion-MNIST's IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var docs = new Option<int>("--docs") { Description = "Training images stored as documents.", DefaultValueFactory = _ => 10_000 };
        var train = new Option<int>("--train-queries") { Description = "The next training images, used as training queries.", DefaultValueFactory = _ => 2_000 };
        var test = new Option<int>("--test-queries") { Description = "The next ones, held out.", DefaultValueFactory = _ => 1_000 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training queries.", DefaultValueFactory = _ => 2 };
        var rank = new Option<int>("--rank") { Description = "Adapter rank (1..8).", DefaultValueFactory = _ => 2 };
        var project = new Option<int>("--project") { Description = "Randomly project the 784-d images to this dimension first (0: no).", DefaultValueFactory = _ => 0 };
        var lr = new Option<double>("--learning-rate") { Description = "Adam's step size (0: the collection default)." };
        var temperature = new Option<double>("--temperature") { Description = "InfoNCE temperature (0: the collection default)." };
        var negatives = new Option<int>("--negatives") { Description = "Random negatives per example (0: the collection default)." };
        var precisionOnly = new Option<bool>("--precision-only") { Description = "Skip the continual (task A then B) runs." };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("adapters", "Query adapters from feedback on Fashion-MNIST: precision@10 before/after, forgetting with and without EWC and replay, update and query latency (issue 19).") { dir, docs, train, test, epochs, rank, project, lr, temperature, negatives, precisionOnly, json };
        command.SetAction((parse, ct) => AdapterBench.RunAsync(new AdapterBench.Options(parse.GetValue(dir)!, parse.GetValue(docs), parse.GetValue(train), parse.GetValue(test), parse.GetValue(epochs), parse.GetValue(rank), parse.GetValue(project), parse.GetValue(lr), parse.GetValue(temperature), parse.GetValue(negatives), parse.GetValue(precisionOnly), parse.GetValue(json)), ct));
        return command;
    }

    private static Command Cluster()
    {
        var pg = new Option<string>("--pg") { Description = "A PostgreSQL connection string whose user may create databases (bench/cluster.sh starts one).", Required = true };
        var points = new Option<int>("--points") { Description = "Points to upsert (batches of 100).", DefaultValueFactory = _ => 20_000 };
        var queries = new Option<int>("--queries") { Description = "Queries to time.", DefaultValueFactory = _ => 2_000 };
        var dim = new Option<int>("--dim") { Description = "Vector dimension (random vectors, fixed seed).", DefaultValueFactory = _ => 128 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections.", DefaultValueFactory = _ => 8 };
        var missed = new Option<int>("--missed") { Description = "Writes a stopped node misses before its catch-up is timed.", DefaultValueFactory = _ => 100_000 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("cluster", "Cluster mode through REST: write and query throughput for a plain server and 1-3 nodes, write latency by write_consistency_factor, catch-up after missed writes.") { pg, points, queries, dim, connections, missed, json };
        command.SetAction((parse, ct) => ClusterBench.RunAsync(parse.GetValue(pg)!, parse.GetValue(points), parse.GetValue(queries), parse.GetValue(dim), parse.GetValue(connections), parse.GetValue(missed), parse.GetValue(json), ct));
        return command;
    }

    private static Command ClusterLocality()
    {
        var pg = new Option<string>("--pg") { Description = "A PostgreSQL connection string whose user may create databases (bench/cluster-locality.sh starts one).", Required = true };
        var dir = new Option<string>("--dataset-dir") { Description = "Folder with Fashion-MNIST's files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var points = new Option<int>("--points") { Description = "Training images to load.", DefaultValueFactory = _ => 20_000 };
        var queries = new Option<int>("--queries") { Description = "Test images to query.", DefaultValueFactory = _ => 1_000 };
        var shards = new Option<int>("--shards") { Description = "shard_number (the k of k-means).", DefaultValueFactory = _ => 8 };
        var nodes = new Option<int>("--nodes") { Description = "Cluster nodes in this process.", DefaultValueFactory = _ => 3 };
        var sample = new Option<int>("--sample") { Description = "Points in the first upsert, which trains the centroids.", DefaultValueFactory = _ => 2_000 };
        var connections = new Option<int>("--connections") { Description = "Concurrent connections.", DefaultValueFactory = _ => 4 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("cluster-locality", "Locality sharding: recall@10 and QPS of queries probing the nearest 1, 2, 4 shards against visiting every shard (Fashion-MNIST).") { pg, dir, points, queries, shards, nodes, sample, connections, json };
        command.SetAction((parse, ct) => ClusterLocalityBench.RunAsync(parse.GetValue(pg)!, parse.GetValue(dir)!, parse.GetValue(points), parse.GetValue(queries), parse.GetValue(shards), parse.GetValue(nodes), parse.GetValue(sample), parse.GetValue(connections), parse.GetValue(json), ct));
        return command;
    }

    private static Command Ann()
    {
        var dataset = new Option<string>("--dataset") { Description = "The data set (fashion-mnist).", DefaultValueFactory = _ => "fashion-mnist" };
        var dir = new Option<string>("--dataset-dir") { Description = "Folder with the data set's files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var queries = new Option<int>("--queries") { Description = "Queries to run (the first N test vectors).", DefaultValueFactory = _ => 2000 };
        var m = new Option<int>("--m") { Description = "HNSW links per node (layer 0 keeps 2m).", DefaultValueFactory = _ => 16 };
        var efc = new Option<int>("--ef-construction") { Description = "HNSW beam width while building.", DefaultValueFactory = _ => 200 };
        var efs = new Option<string>("--ef") { Description = "Comma-separated beam widths to measure.", DefaultValueFactory = _ => "10,20,40,80,120,200" };
        var threads = new Option<int>("--threads") { Description = "Threads that build the index.", DefaultValueFactory = _ => 1 };
        var queryThreads = new Option<int>("--query-threads") { Description = "Threads that run queries.", DefaultValueFactory = _ => 1 };
        var json = new Option<string?>("--json") { Description = "Write the results to this JSON file." };
        var cache = new Option<string?>("--index-cache") { Description = "Development aid: load the graph from this file if it exists, else build it and save it there.", Hidden = true };
        var quantization = new Option<string?>("--quantization") { Description = "Walk the graph on quantized codes and re-rank with the floats: int8 (every coordinate) or pca8:RANK[:QUANTILE] (int8 codes of the first RANK principal components, a collection's scalar.projection_rank)." };
        var oversampling = new Option<double>("--oversampling") { Description = "With quantization: re-rank this many times k candidates (the collection default, 4).", DefaultValueFactory = _ => 4 };
        var deleteFraction = new Option<double>("--delete-fraction") { Description = "Delete this random fraction after building, consolidate, and compare with a fresh index on the survivors." };
        var selectivity = new Option<string?>("--filter-selectivity") { Description = "Comma-separated filter selectivities (0.01-0.9) to measure through a collection with a label filter." };
        var payloadIndex = new Option<string>("--payload-index") { Description = "With --filter-selectivity: none, or keyword (label and r as keyword indexes with per-value links, bucket as an integer index).", DefaultValueFactory = _ => "none" };
        payloadIndex.AcceptOnlyFromAmong("none", "keyword");
        var fullScan = new Option<long?>("--full-scan-threshold") { Description = "With --filter-selectivity: the collection's full_scan_threshold in KiB (default 10000, Qdrant's)." };
        var bounds = new Option<int>("--rotate") { Description = "Keep the vectors in a basis whose first N coordinates are their principal components (fitted to a sample as part of the build; 0: off), so distances abandon early." };
        var repeats = new Option<int>("--repeat") { Description = "Run each ef this many times and report the median QPS.", DefaultValueFactory = _ => 1 };
        var command = new Command("ann", "Build an HNSW index and measure recall@10 and QPS per ef, the ann-benchmarks way.")
        {
            dataset, dir, queries, m, efc, efs, threads, queryThreads, json, cache, quantization, oversampling, deleteFraction, selectivity, payloadIndex, fullScan, bounds, repeats,
        };
        command.SetAction((parse, ct) => AnnBench.RunAsync(
            new AnnBench.Options(
                parse.GetValue(dataset)!,
                parse.GetValue(dir)!,
                parse.GetValue(queries),
                parse.GetValue(m),
                parse.GetValue(efc),
                [.. parse.GetValue(efs)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => int.Parse(x, System.Globalization.CultureInfo.InvariantCulture))],
                parse.GetValue(threads),
                parse.GetValue(queryThreads),
                parse.GetValue(json),
                parse.GetValue(cache),
                parse.GetValue(quantization),
                parse.GetValue(oversampling),
                parse.GetValue(deleteFraction),
                parse.GetValue(selectivity) is { } sel ? [.. sel.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture))] : null,
                parse.GetValue(payloadIndex)!,
                parse.GetValue(fullScan),
                parse.GetValue(bounds),
                parse.GetValue(repeats)),
            ct));
        return command;
    }

    private static Command Storage()
    {
        var dataset = new Option<string>("--dataset-dir") { Description = "Folder with Fashion-MNIST's IDX files.", DefaultValueFactory = _ => FashionMnist.DefaultDirectory };
        var work = new Option<string?>("--work-dir") { Description = "Where to put the benchmark's databases (default: a temporary folder, removed afterwards)." };
        var singles = new Option<int>("--singles") { Description = "Points written one per call in sync mode (5x that in buffered mode).", DefaultValueFactory = _ => 3000 };
        var queries = new Option<int>("--queries") { Description = "Exact-search queries to time.", DefaultValueFactory = _ => 200 };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };
        var command = new Command("storage", "Upsert throughput (sync/buffered, batch 1/1000), get latency, exact search QPS and open time on Fashion-MNIST.")
        {
            dataset, work, singles, queries, json,
        };
        command.SetAction((parse, ct) => StorageBench.RunAsync(parse.GetValue(dataset)!, parse.GetValue(work), parse.GetValue(singles), parse.GetValue(queries), parse.GetValue(json), ct));
        return command;
    }

    /// <summary>The <c>make-dataset</c> verb: issue 20's extra data sets as fvecs files for both sides.</summary>
    private static Command MakeDatasets()
    {
        var gmmOut = new Option<string>("--out") { Description = "Folder for base.fvecs, query.fvecs and gt.ivecs.", Required = true };
        var points = new Option<int>("--points") { Description = "Base vectors.", DefaultValueFactory = _ => 100_000 };
        var dim = new Option<int>("--dim") { Description = "Dimension.", DefaultValueFactory = _ => 128 };
        var clusters = new Option<int>("--clusters") { Description = "Mixture components.", DefaultValueFactory = _ => 256 };
        var gmmQueries = new Option<int>("--queries") { Description = "Query vectors (drawn from the same mixture).", DefaultValueFactory = _ => 1000 };
        var gmmSeed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 20 };
        var gmm = new Command("gmm", "A seeded Gaussian mixture (the cost curve's synthetic clustered set).") { gmmOut, points, dim, clusters, gmmQueries, gmmSeed };
        gmm.SetAction(parse => MakeDataset.Gmm(new MakeDataset.GmmOptions(parse.GetValue(gmmOut)!, parse.GetValue(points), parse.GetValue(dim), parse.GetValue(clusters), parse.GetValue(gmmQueries), parse.GetValue(gmmSeed))));

        var glossOut = new Option<string>("--out") { Description = "Folder for base.fvecs, query.fvecs and gt.ivecs.", Required = true };
        var wordnet = new Option<string>("--wordnet") { Description = "WordNet's data.noun (Debian wordnet-base).", DefaultValueFactory = _ => WordNetGlosses.DefaultPath };
        var glossQueries = new Option<int>("--queries") { Description = "Glosses held out as queries (seeded sample, not in the base).", DefaultValueFactory = _ => 1000 };
        var glossSeed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 20 };
        var glosses = new Command("wordnet-glosses", "WordNet noun glosses embedded with the bundled all-MiniLM-L6-v2 (384-d, unit length).") { glossOut, wordnet, glossQueries, glossSeed };
        glosses.SetAction((parse, ct) => MakeDataset.WordNetGlossesAsync(new MakeDataset.GlossOptions(parse.GetValue(glossOut)!, parse.GetValue(wordnet)!, parse.GetValue(glossQueries), parse.GetValue(glossSeed)), ct));

        return new Command("make-dataset", "Writes a data set as fvecs files for ann --dataset fvecs and the hnswlib peer.") { gmm, glosses };
    }
}
