using RoseForest.Embeddings.Sparse;
using RoseForest.Embeddings.Text;

namespace RoseForest.Embeddings.Tests;

public class Bm25Tests
{
    // Hand-worked corpus (stop words kept): lengths 6, 3, 3, so avgdl = 4 and N = 3.
    private const string D1 = "The cat sat on the mat";
    private const string D2 = "the dog sat";
    private const string D3 = "Cats and dogs";

    // k1 = 1.2, b = 0.75, avgdl = 4:
    //   d1 (dl 6): 1 - b + b*6/4 = 1.375, so tf 1 -> 2.2 / (1 + 1.65) = 0.830189, tf 2 ("the") -> 4.4 / 3.65 = 1.205479
    //   d2 (dl 3): 1 - b + b*3/4 = 0.8125, so tf 1 -> 2.2 / (1 + 0.975) = 1.113924
    //   idf(cat) = ln(1 + 2.5/1.5) = 0.980829 (n = 1), idf(sat) = ln(1 + 1.5/2.5) = 0.470004 (n = 2)
    //   "cat sat": d1 = 0.830189 * (0.980829 + 0.470004) = 1.204465, d2 = 1.113924 * 0.470004 = 0.523548, d3 = 0
    private const double D1TfOne = 0.830189;
    private const double D1TheTfTwo = 1.205479;
    private const double D2TfOne = 1.113924;
    private const double D1Score = 1.204465;
    private const double D2Score = 0.523548;

    [Fact]
    public void Idf_is_qdrants_formula_and_stays_positive_for_a_term_in_every_document()
    {
        Assert.Equal(0.980829, Bm25Encoder.Idf(3, 1), 1e-6);
        Assert.Equal(0.470004, Bm25Encoder.Idf(3, 2), 1e-6);
        Assert.True(Bm25Encoder.Idf(3, 3) > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => Bm25Encoder.Idf(2, 3));
    }

    [Fact]
    public void Document_values_are_the_tf_part_of_bm25_at_the_corpus_average_length()
    {
        var encoder = new Bm25Encoder();
        foreach (string d in new[] { D1, D2, D3 })
        {
            encoder.EncodeDocument(d);
        }
        Assert.Equal(3, encoder.DocumentCount);
        Assert.Equal(12, encoder.TotalTokens);
        Assert.Equal(4.0, encoder.AverageDocumentLength);

        SparseVector d1 = encoder.EncodeDocument(D1, addToStatistics: false);
        Assert.Equal(5, d1.Count); // the, cat, sat, on, mat
        Assert.Equal(D1TfOne, d1[Id("cat")], 1e-5);
        Assert.Equal(D1TfOne, d1[Id("sat")], 1e-5);
        Assert.Equal(D1TheTfTwo, d1[Id("the")], 1e-5);
        Assert.Equal(D2TfOne, encoder.EncodeDocument(D2, addToStatistics: false)[Id("dog")], 1e-5);
        Assert.Equal(3, encoder.DocumentCount);
    }

    [Fact]
    public void A_document_counts_itself_in_the_running_average_it_is_encoded_with()
    {
        var encoder = new Bm25Encoder();
        // First document: avgdl = its own length, so dl/avgdl = 1 and tf 1 -> 2.2 / 2.2 = 1.
        Assert.Equal(1.0, encoder.EncodeDocument(D1)[Id("cat")], 1e-6);
        // Second: avgdl = (6 + 3) / 2 = 4.5, dl 3: 1 - b + b*3/4.5 = 0.75 -> 2.2 / (1 + 0.9) = 1.157895.
        Assert.Equal(1.157895, encoder.EncodeDocument(D2)[Id("dog")], 1e-6);
    }

    [Fact]
    public void A_fixed_average_length_makes_a_vector_independent_of_the_corpus()
    {
        var encoder = new Bm25Encoder(new Bm25Options { AverageDocumentLength = 4 });
        encoder.EncodeDocument("a very long document about many many other things entirely");
        Assert.Equal(D1TfOne, encoder.EncodeDocument(D1)[Id("cat")], 1e-5);
    }

    [Fact]
    public void Query_values_are_one_per_distinct_term()
    {
        var encoder = new Bm25Encoder();
        SparseVector query = encoder.EncodeQuery("Cat cat SAT");
        Assert.Equal(2, query.Count);
        Assert.Equal(1f, query[Id("cat")]);
        Assert.Equal(1f, query[Id("sat")]);
        Assert.Equal(0, encoder.DocumentCount);
    }

    [Fact]
    public void Sparse_search_with_the_idf_modifier_gives_the_hand_computed_scores()
    {
        var encoder = new Bm25Encoder();
        string[] docs = [D1, D2, D3];
        foreach (string d in docs)
        {
            encoder.EncodeDocument(d);
        }
        var index = new SparseIdfIndex();
        for (int i = 0; i < docs.Length; i++)
        {
            index.Upsert(i + 1, encoder.EncodeDocument(docs[i], addToStatistics: false));
        }

        List<ScoredDocument> hits = index.Search(encoder.EncodeQuery("cat sat"), 10);

        Assert.Equal([1L, 2L], hits.Select(h => h.Id));
        Assert.Equal(D1Score, hits[0].Score, 1e-5);
        Assert.Equal(D2Score, hits[1].Score, 1e-5);
    }

    [Fact]
    public void Reference_scorer_gives_the_hand_computed_scores()
    {
        var scorer = new Bm25ReferenceScorer();
        scorer.Add(1, D1);
        scorer.Add(2, D2);
        scorer.Add(3, D3);
        Assert.Equal(D1Score, scorer.Score("cat sat", 1), 1e-5);
        Assert.Equal(D2Score, scorer.Score("cat sat sat", 2), 1e-5); // a repeated query term counts once
        Assert.Equal(0, scorer.Score("cat sat", 3));
        Assert.Equal([1L, 2L], scorer.Search("cat sat", 10).Select(h => h.Id));
    }

    [Fact]
    public void Sparse_path_ranks_and_scores_a_random_corpus_like_textbook_bm25()
    {
        var random = new Random(20240914);
        string[] vocabulary = [.. Enumerable.Range(0, 300).Select(i => $"w{i}")];
        Assert.Equal(vocabulary.Length, vocabulary.Select(w => TermHash.Fnv1a32(w)).Distinct().Count()); // no collision in play
        // Zipf-like draws, so some terms are common and most are rare.
        string Word() => vocabulary[(int)(vocabulary.Length * Math.Pow(random.NextDouble(), 3))];
        string[] docs = [.. Enumerable.Range(0, 200).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(3, 40)).Select(_ => Word())))];

        var encoder = new Bm25Encoder();
        var reference = new Bm25ReferenceScorer();
        for (int i = 0; i < docs.Length; i++)
        {
            encoder.EncodeDocument(docs[i]);
            reference.Add(i, docs[i]);
        }
        var index = new SparseIdfIndex();
        for (int i = 0; i < docs.Length; i++)
        {
            index.Upsert(i, encoder.EncodeDocument(docs[i], addToStatistics: false));
        }

        for (int q = 0; q < 25; q++)
        {
            string query = string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => Word()));
            List<ScoredDocument> sparse = index.Search(encoder.EncodeQuery(query), 10);
            List<ScoredDocument> textbook = reference.Search(query, 10);
            Assert.Equal(textbook.Count, sparse.Count);
            for (int i = 0; i < sparse.Count; i++)
            {
                Assert.Equal(textbook[i].Score, sparse[i].Score, 1e-4);
                Assert.Equal(textbook[i].Score, reference.Score(query, sparse[i].Id), 1e-4);
            }
        }
    }

    [Fact]
    public void Forgetting_a_document_takes_it_out_of_the_statistics()
    {
        var encoder = new Bm25Encoder();
        encoder.EncodeDocument(D1);
        encoder.EncodeDocument(D2);
        encoder.ForgetDocument(D1);
        Assert.Equal(1, encoder.DocumentCount);
        Assert.Equal(3, encoder.TotalTokens);
        encoder.ForgetDocument(D2);
        Assert.Throws<InvalidOperationException>(() => encoder.ForgetDocument(D3));
    }

    [Fact]
    public void Concurrent_inserts_all_reach_the_statistics()
    {
        var encoder = new Bm25Encoder();
        Parallel.For(0, 1000, i => encoder.EncodeDocument($"document {i} has five tokens"));
        Assert.Equal(1000, encoder.DocumentCount);
        Assert.Equal(5000, encoder.TotalTokens);
    }

    [Fact]
    public void Index_upsert_replaces_and_remove_updates_document_frequencies()
    {
        var index = new SparseIdfIndex();
        index.Upsert(1, new SparseVector([7], [1f]));
        index.Upsert(2, new SparseVector([7, 8], [1f, 1f]));
        Assert.Equal(2, index.DocumentFrequency(7));
        index.Upsert(2, new SparseVector([8], [1f]));
        Assert.Equal(1, index.DocumentFrequency(7));
        Assert.True(index.Remove(1));
        Assert.False(index.Remove(1));
        Assert.Equal(0, index.DocumentFrequency(7));
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Bad_parameters_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Encoder(new Bm25Options { B = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Encoder(new Bm25Options { K1 = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Bm25Encoder(new Bm25Options { AverageDocumentLength = 0 }));
    }

    private static uint Id(string term) => TermHash.Fnv1a32(term);
}
