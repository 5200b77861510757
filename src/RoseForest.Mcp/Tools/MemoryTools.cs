using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Server;
using RoseForest.Contracts.Qdrant;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>
/// The MCP tools, with the names and argument names issue 14 fixes: the memory tools (as mem0's
/// MCP server has them) and Qdrant's pair (as mcp-server-qdrant has them). Every result is JSON text
/// in the same shapes as the REST routes, except qdrant-find's, which is mcp-server-qdrant's list
/// of entries.
/// </summary>
public static class MemoryTools
{
    /// <summary>The tool names, in the order they are listed.</summary>
    public static readonly IReadOnlyList<string> Names =
        ["add_memory", "search_memories", "get_memory", "list_memories", "update_memory", "delete_memory", "delete_all_memories", "memory_history", "qdrant-store", "qdrant-find"];

    private const string ScopeProperties =
        """
        "user_id": {"type": "string", "description": "The user the memories belong to."},
        "agent_id": {"type": "string", "description": "The agent the memories belong to."},
        "run_id": {"type": "string", "description": "The session (run) the memories belong to."},
        "app_id": {"type": "string", "description": "The application the memories belong to."}
        """;

    private const string MemoryId = "\"memory_id\": {\"type\": \"string\", \"format\": \"uuid\", \"description\": \"The memory's id, as add_memory or search_memories returned it.\"}";

    /// <summary>Builds the tools; each call resolves its <see cref="ToolContext"/> through <paramref name="context"/>.</summary>
    public static IReadOnlyList<McpServerTool> Create(Func<IServiceProvider?, ToolContext> context) =>
    [
        new JsonTool(
            "add_memory",
            "Store a memory: a fact, preference, event or procedure worth recalling later. Give at least one of user_id, agent_id, run_id, app_id. A near-duplicate of an existing memory in the same scope is merged instead of stored twice. Returns the ids and what happened to each (add, merge, superseded).",
            $$"""
            {"type": "object", "properties": {
              "text": {"type": "string", "description": "What to remember (with infer: a conversation turn to extract facts from)."},
              {{ScopeProperties}},
              "metadata": {"type": "object", "description": "Any JSON object kept with the memory; search_memories can filter on its keys."},
              "kind": {"type": "string", "enum": ["semantic", "episodic", "procedural"], "description": "semantic (facts, the default), episodic (events, append-only) or procedural (how-to)."},
              "infer": {"type": "boolean", "description": "Let the server's chat model extract facts from the text (refused when the server has none)."}
            }, "required": ["text"], "additionalProperties": false}
            """,
            readOnly: false,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var request = MemoryJson.ReadAdd(a, defaultActor: c.Actor);
                request = Confined(request, c.Boundary);
                var events = await c.Memories.AddAsync(request, ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w => MemoryJson.WriteResults(w, events, MemoryJson.WriteEvent));
            }),
        new JsonTool(
            "search_memories",
            "Recall memories relevant to a query (hybrid: meaning and keywords), best first. Give at least one of user_id, agent_id, run_id, app_id. Returns an empty list when nothing relevant is stored. as_of asks what was true at a past time, including facts superseded since.",
            $$"""
            {"type": "object", "properties": {
              "query": {"type": "string", "description": "What to recall, in natural language."},
              {{ScopeProperties}},
              "filters": {"type": "object", "description": "Metadata keys and the values they must equal (a list: any of them), or a Qdrant filter over payload paths such as metadata.topic."},
              "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "How many memories at most (default 10)."},
              "as_of": {"type": "string", "format": "date-time", "description": "An ISO 8601 time: recall the facts that were valid then."}
            }, "required": ["query"], "additionalProperties": false}
            """,
            readOnly: true,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var request = MemoryJson.ReadSearch(a);
                request = new SearchMemoryRequest { Query = request.Query, Scope = request.Scope.Within(c.Boundary), Filter = request.Filter, Limit = request.Limit, AsOf = request.AsOf };
                var hits = await c.Memories.SearchAsync(request, ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w => MemoryJson.WriteResults(w, hits, MemoryJson.WriteHit));
            }),
        new JsonTool(
            "get_memory",
            "Get one memory by id, with its scope, kind, version, validity times and access count.",
            $$"""{"type": "object", "properties": { {{MemoryId}} }, "required": ["memory_id"], "additionalProperties": false}""",
            readOnly: true,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var memory = await c.Memories.GetAsync(Id(a), c.Boundary, ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w => MemoryJson.WriteRecord(w, memory));
            }),
        new JsonTool(
            "list_memories",
            "List the current memories of a scope, oldest first, a page at a time. Give at least one of user_id, agent_id, run_id, app_id; pass the returned next_cursor as cursor for the next page.",
            $$"""
            {"type": "object", "properties": {
              {{ScopeProperties}},
              "limit": {"type": "integer", "minimum": 1, "maximum": 1000, "description": "Page size (default 100)."},
              "cursor": {"type": "string", "description": "next_cursor from the previous page."}
            }, "additionalProperties": false}
            """,
            readOnly: true,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var page = await c.Memories.ListAsync(
                    new ListMemoryRequest
                    {
                        Scope = MemoryJson.ReadScope(a).Within(c.Boundary),
                        Limit = JsonFields.Int(a, "limit", string.Empty, 1, MemoryStore.MaxLimit) ?? 100,
                        Cursor = JsonFields.String(a, "cursor", string.Empty),
                    },
                    ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w => MemoryJson.WriteResults(w, page.Memories, MemoryJson.WriteRecord, page.NextCursor, withCursor: true));
            }),
        new JsonTool(
            "update_memory",
            "Change a memory's text (and optionally merge metadata keys). This creates a new version; memory_history shows every version with who changed it and when. Episodic memories are append-only and cannot be edited.",
            $$"""
            {"type": "object", "properties": {
              {{MemoryId}},
              "text": {"type": "string", "description": "The new text."},
              "metadata": {"type": "object", "description": "Metadata keys to set (a null value removes the key)."}
            }, "required": ["memory_id", "text"], "additionalProperties": false}
            """,
            readOnly: false,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var memory = await c.Memories.UpdateAsync(
                    new UpdateMemoryRequest
                    {
                        Id = Id(a),
                        Text = JsonFields.String(a, "text", string.Empty) ?? throw new ValidationException("text", "is required."),
                        Metadata = JsonFields.Get(a, "metadata"),
                        Within = c.Boundary,
                        Actor = c.Actor,
                    },
                    ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w => MemoryJson.WriteRecord(w, memory));
            }),
        new JsonTool(
            "delete_memory",
            "Delete one memory and its history.",
            $$"""{"type": "object", "properties": { {{MemoryId}} }, "required": ["memory_id"], "additionalProperties": false}""",
            readOnly: false,
            destructive: true,
            context,
            async (c, a, ct) =>
            {
                var id = Id(a);
                await c.Memories.DeleteAsync(id, c.Boundary, ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteBoolean("deleted", true);
                    w.WriteEndObject();
                });
            }),
        new JsonTool(
            "delete_all_memories",
            "Delete every memory of a scope. Give at least one of user_id, agent_id, run_id, app_id; memories of other scopes are untouched.",
            $$"""{"type": "object", "properties": { {{ScopeProperties}} }, "additionalProperties": false}""",
            readOnly: false,
            destructive: true,
            context,
            async (c, a, ct) =>
            {
                var count = await c.Memories.DeleteAllAsync(MemoryJson.ReadScope(a).Within(c.Boundary), ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("deleted", count);
                    w.WriteEndObject();
                });
            }),
        new JsonTool(
            "memory_history",
            "Every version of a memory, oldest first: what it said, the event (add, merge, update, supersede, superseded), who and when.",
            $$"""{"type": "object", "properties": { {{MemoryId}} }, "required": ["memory_id"], "additionalProperties": false}""",
            readOnly: true,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var history = await c.Memories.HistoryAsync(Id(a), c.Boundary, ct).ConfigureAwait(false);
                return MemoryJson.ToJson(w => MemoryJson.WriteResults(w, history, MemoryJson.WriteVersion));
            }),
        new JsonTool(
            "qdrant-store",
            "Keep the memory for later use, whenever you are asked to remember something. Stores the information in a collection (as mcp-server-qdrant does).",
            """
            {"type": "object", "properties": {
              "information": {"type": "string", "description": "The information to store."},
              "collection_name": {"type": "string", "description": "The collection to store it in (default: the server's)."},
              "metadata": {"type": "object", "description": "Extra metadata stored together with the information."}
            }, "required": ["information"], "additionalProperties": false}
            """,
            readOnly: false,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var information = JsonFields.String(a, "information", string.Empty) ?? throw new ValidationException("information", "is required.");
                var collection = JsonFields.String(a, "collection_name", string.Empty);
                await c.Documents.StoreAsync(information, collection, JsonFields.Get(a, "metadata"), ct).ConfigureAwait(false);
                return string.Create(CultureInfo.InvariantCulture, $"Remembered: {information} in collection {collection ?? c.Documents.DefaultCollection}");
            }),
        new JsonTool(
            "qdrant-find",
            "Look up memories in the collection. Use this whenever you need to find memories by their content (as mcp-server-qdrant does).",
            """
            {"type": "object", "properties": {
              "query": {"type": "string", "description": "What to search for."},
              "collection_name": {"type": "string", "description": "The collection to search (default: the server's)."}
            }, "required": ["query"], "additionalProperties": false}
            """,
            readOnly: true,
            destructive: false,
            context,
            async (c, a, ct) =>
            {
                var query = JsonFields.String(a, "query", string.Empty) ?? throw new ValidationException("query", "is required.");
                var found = await c.Documents.FindAsync(query, JsonFields.String(a, "collection_name", string.Empty), 10, ct).ConfigureAwait(false);
                if (found.Count == 0)
                {
                    return $"No information found for the query '{query}'";
                }

                var text = new StringBuilder().Append("Results for the query '").Append(query).Append('\'');
                foreach (var doc in found)
                {
                    text.Append("\n<entry><content>").Append(doc.Document).Append("</content><metadata>")
                        .Append(doc.Metadata?.GetRawText() ?? string.Empty).Append("</metadata></entry>");
                }

                return text.ToString();
            }),
    ];

    private static Guid Id(JsonElement arguments) =>
        JsonFields.String(arguments, "memory_id", string.Empty) is { } text
            ? Guid.TryParse(text, out var id) ? id : throw new ValidationException("memory_id", $"'{text}' is not a memory id (a UUID).")
            : throw new ValidationException("memory_id", "is required.");

    private static AddMemoryRequest Confined(AddMemoryRequest r, MemoryScope? boundary) => boundary is null ? r : new AddMemoryRequest
    {
        Text = r.Text,
        Scope = r.Scope.Within(boundary),
        Metadata = r.Metadata,
        Kind = r.Kind,
        Infer = r.Infer,
        Actor = r.Actor,
    };
}
