namespace RoseForest.Knowledge.Http.KnowledgeNode;

/// <summary>
/// The filters of <c>GET /knowledge</c> and <c>GET /knowledge/search</c>: <c>domain</c>, <c>type</c>,
/// <c>tags</c> (every one must be on the package), <c>ai_node</c> (the author), <c>min_confidence</c>,
/// and RoseForest's <c>min_score</c> (the trust score), at most <c>limit</c> results.
/// </summary>
internal sealed record KnowledgeQuery
{
    public string? Domain { get; init; }

    public string? Type { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public string? AiNode { get; init; }

    public double MinConfidence { get; init; }

    public double MinScore { get; init; }

    public int Limit { get; init; } = 10;
}
