namespace RoseForest.Communication.Spine;

/// <summary>A document to rebuild from: its text and optional metadata.</summary>
public sealed record SourceDocument(string Text, System.Text.Json.JsonElement? Metadata = null);

/// <summary>What <c>verify_rebuild</c> found: vectors in the collection, and per document whether its point is there with the same vector.</summary>
public sealed record RebuildReport(long TotalVectors, int Matched, int Mismatched, int Missing, int Extra);
