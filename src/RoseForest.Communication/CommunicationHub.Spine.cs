using System.Text.Json;
using System.Text.Json.Nodes;
using RoseForest.Communication.Access;
using RoseForest.Communication.Contracts;
using RoseForest.Communication.Spine;

namespace RoseForest.Communication;

public sealed partial class CommunicationHub
{
    /// <summary>The model's spine: its contract, state and shared-space contributions, in the checksummed <see cref="SpineFile"/> form (the model itself or the administrator).</summary>
    public async Task<byte[]> ExportSpineAsync(Caller caller, string model, CancellationToken cancellationToken = default)
    {
        DemandSelfOrAdmin(caller, model, "export the spine");
        var record = Model(model);
        var contributions = new JsonArray();
        foreach (var space in _spaces.All.OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            await foreach (var point in Store.ScrollAllAsync(_database.GetCollection(space.Collection), cancellationToken, withVectors: true).ConfigureAwait(false))
            {
                if (point.Payload is { } p && p.GetProperty("model").GetString() == model)
                {
                    contributions.Add(new JsonObject
                    {
                        ["namespace"] = space.Namespace,
                        ["space"] = space.Name,
                        ["key"] = p.GetProperty("key").GetString(),
                        ["version"] = p.GetProperty("version").GetInt64(),
                        ["vector"] = new JsonArray([.. point.Vector!.Select(v => (JsonNode)v)]),
                        ["value"] = JsonNode.Parse(p.GetProperty("value").GetRawText()),
                    });
                }
            }
        }

        var state = _states.Get(model);
        var body = new JsonObject
        {
            ["model"] = model,
            ["exported_at"] = Time.GetUtcNow().ToString("O"),
            ["contract_version"] = record.Version,
            ["contract"] = record.Contract.Document.DeepClone(),
            ["state"] = state is null ? null : new JsonObject { ["schema"] = state.Schema.DeepClone(), ["state"] = state.State?.DeepClone(), ["version"] = state.Version },
            ["contributions"] = contributions,
        };
        return SpineFile.Write(body);
    }

    /// <summary>
    /// Restores a spine into a registered model (the model itself or the administrator): its state
    /// (schema and value) and its contributions to the spaces that exist (joining them). The file
    /// is verified first; a damaged one changes nothing. Returns how many contributions were restored.
    /// </summary>
    public async Task<int> ImportSpineAsync(Caller caller, byte[] file, CancellationToken cancellationToken = default)
    {
        var body = SpineFile.Read(file);
        var model = body["model"]?.GetValue<string>() ?? throw new ValidationException("spine.model", "is missing.");
        DemandSelfOrAdmin(caller, model, "import the spine");
        _ = Model(model);
        var asModel = Caller.Model(model);
        if (body["state"] is JsonObject state && state["schema"] is JsonObject schema)
        {
            await RegisterStateAsync(asModel, model, schema, cancellationToken).ConfigureAwait(false);
            if (state["state"] is { } value)
            {
                await UpdateStateAsync(asModel, model, value, cancellationToken).ConfigureAwait(false);
            }
        }

        var restored = 0;
        foreach (var c in body["contributions"] as JsonArray ?? [])
        {
            var ns = c!["namespace"]!.GetValue<string>();
            var space = c["space"]!.GetValue<string>();
            var spaceRecord = _spaces.Get(ns, space);
            if (!spaceRecord.Members.ContainsKey(model))
            {
                await JoinSpaceAsync(asModel, ns, space, [], cancellationToken).ConfigureAwait(false);
            }

            var vector = c["vector"]!.AsArray().Select(v => v!.GetValue<float>()).ToArray();
            JsonElement? value = c["value"] is { } v1 ? JsonSerializer.SerializeToElement(v1) : null;
            await ContributeAsync(asModel, ns, space, c["key"]!.GetValue<string>(), vector, value, cancellationToken).ConfigureAwait(false);
            restored++;
        }

        return restored;
    }

    /// <summary>The id a rebuilt document gets: from the SHA-256 of its text and the embedder's name and version, so a rebuild is repeatable.</summary>
    public Guid DocumentId(string text) => StableIds.For("document", StableIds.Sha256Hex(text), EmbedderName, _options.EmbedderVersion);

    /// <summary>Embeds documents into the collection <c>&lt;namespace&gt;__&lt;collection&gt;</c> (created if missing) with deterministic ids (needs write on the namespace).</summary>
    public async Task<int> RebuildFromDocumentsAsync(Caller caller, string ns, string collection, IReadOnlyList<SourceDocument> documents, CancellationToken cancellationToken = default)
    {
        var name = DocumentCollection(caller, ns, collection, Rights.Write);
        if (documents.Count is 0 or > 10_000)
        {
            throw new ValidationException("documents", "give 1-10000 documents.");
        }

        ChargeVectors(caller, documents.Count);
        await Store.OpenAsync(_database, name, cancellationToken, new CollectionOptions { Dimension = await EmbeddingDimensionAsync().ConfigureAwait(false), Geometry = Geometry.Cosine, Durability = _options.Durability }).ConfigureAwait(false);
        var target = _database.GetCollection(name);
        for (var start = 0; start < documents.Count; start += 256)
        {
            var batch = documents.Skip(start).Take(256).ToList();
            var embeddings = await _options.Embedder.GenerateAsync(batch.Select(d => d.Text), cancellationToken: cancellationToken).ConfigureAwait(false);
            var points = batch.Select((d, i) => new PointStruct(PointId.FromUuid(DocumentId(d.Text)), embeddings[i].Vector.ToArray(), Store.ToElement(new JsonObject
            {
                ["text"] = d.Text,
                ["metadata"] = d.Metadata is { } m ? JsonNode.Parse(m.GetRawText()) : null,
                ["content_sha256"] = StableIds.Sha256Hex(d.Text),
                ["embedder"] = EmbedderName,
                ["embedder_version"] = _options.EmbedderVersion,
            }))).ToList();
            await target.UpsertAsync(points, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return documents.Count;
    }

    /// <summary>Checks a collection against the documents it should have been rebuilt from (needs read on the namespace).</summary>
    public async Task<RebuildReport> VerifyRebuildAsync(Caller caller, string ns, string collection, IReadOnlyList<SourceDocument> documents, CancellationToken cancellationToken = default)
    {
        var name = DocumentCollection(caller, ns, collection, Rights.Read);
        if (!await _database.CollectionExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return new RebuildReport(0, 0, 0, documents.Distinct().Count(), 0);
        }

        ChargeQuery(caller);
        var target = _database.GetCollection(name);
        var expected = documents.Select(d => d.Text).Distinct(StringComparer.Ordinal).ToDictionary(t => PointId.FromUuid(DocumentId(t)), t => t);
        int matched = 0, mismatched = 0, missing = 0;
        foreach (var chunk in expected.Chunk(256))
        {
            var records = (await target.GetAsync([.. chunk.Select(c => c.Key)], PayloadSelector.None, VectorSelector.All, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Id);
            var embeddings = await _options.Embedder.GenerateAsync(chunk.Select(c => c.Value), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (!records.TryGetValue(chunk[i].Key, out var r) || r.Vector is null)
                {
                    missing++;
                }
                else if (Same(r.Vector, Normalized(embeddings[i].Vector.ToArray())))
                {
                    matched++;
                }
                else
                {
                    mismatched++;
                }
            }
        }

        long total = 0;
        var extra = 0;
        await foreach (var r in Store.ScrollAllAsync(target, cancellationToken).ConfigureAwait(false))
        {
            total++;
            if (!expected.ContainsKey(r.Id))
            {
                extra++;
            }
        }

        return new RebuildReport(total, matched, mismatched, missing, extra);
    }

    private string DocumentCollection(Caller caller, string ns, string collection, Rights right)
    {
        ExistingNamespace(ns);
        Demand(caller, ns, right);
        var name = ns + NamespaceNames.Separator + collection;
        CollectionOptions.ValidateName(name);
        return name;
    }

    /// <summary>Cosine collections store unit vectors; compare against the unit form.</summary>
    private static float[] Normalized(float[] v)
    {
        double norm = 0;
        foreach (var x in v)
        {
            norm += (double)x * x;
        }

        norm = Math.Sqrt(norm);
        return norm > 0 ? [.. v.Select(x => (float)(x / norm))] : v;
    }

    private static bool Same(float[] a, float[] b) => a.Length == b.Length && a.Zip(b).All(p => Math.Abs(p.First - p.Second) <= 1e-5f);
}
