using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace RoseForest.Memory;

/// <summary>
/// The <c>infer: true</c> hook: asks a chat client for the facts in a conversation turn and for
/// which of the scope's related memories they replace. The model answers JSON:
/// <c>{"facts": [{"text": "...", "supersedes": ["&lt;memory id&gt;", ...]}]}</c>.
/// </summary>
internal static class FactExtraction
{
    public const string Instructions =
        "You extract durable facts about the user or the task from a conversation turn, for an agent's long-term memory. " +
        "Answer with JSON only, in the form {\"facts\": [{\"text\": \"<one self-contained fact>\", \"supersedes\": [\"<id of an existing memory this fact replaces>\"]}]}. " +
        "List a fact only if it is worth remembering; give an empty list when there is none. " +
        "Use supersedes only when an existing memory below is no longer true because of the new fact.";

    public static List<ChatMessage> Prompt(string turn, IReadOnlyList<MemoryHit> related)
    {
        var context = new StringBuilder();
        context.AppendLine("Existing memories (id: text):");
        if (related.Count == 0)
        {
            context.AppendLine("(none)");
        }

        foreach (var hit in related)
        {
            context.Append(hit.Memory.Id.ToString("D")).Append(": ").AppendLine(hit.Memory.Text);
        }

        context.AppendLine();
        context.AppendLine("Conversation turn:");
        context.Append(turn);
        return [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, context.ToString())];
    }

    /// <summary>Reads the model's answer; ids it names that were not offered are dropped.</summary>
    public static List<(string Text, List<Guid> Supersedes)> Parse(string answer, IReadOnlySet<Guid> offered)
    {
        var json = answer.Trim();
        if (json.StartsWith("```", StringComparison.Ordinal))
        {
            var start = json.IndexOf('\n', StringComparison.Ordinal);
            var end = json.LastIndexOf("```", StringComparison.Ordinal);
            json = start >= 0 && end > start ? json[(start + 1)..end] : json;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            var facts = new List<(string, List<Guid>)>();
            foreach (var fact in doc.RootElement.GetProperty("facts").EnumerateArray())
            {
                var text = fact.ValueKind == JsonValueKind.String ? fact.GetString() : fact.GetProperty("text").GetString();
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                var supersedes = new List<Guid>();
                if (fact.ValueKind == JsonValueKind.Object && fact.TryGetProperty("supersedes", out var ids) && ids.ValueKind == JsonValueKind.Array)
                {
                    foreach (var id in ids.EnumerateArray())
                    {
                        if (Guid.TryParse(id.GetString(), out var g) && offered.Contains(g))
                        {
                            supersedes.Add(g);
                        }
                    }
                }

                facts.Add((text, supersedes));
            }

            return facts;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MemoryInferenceException($"the chat client's answer is not the JSON asked for ({e.Message}).", e);
        }
    }
}
