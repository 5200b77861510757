using Microsoft.Extensions.AI;

namespace RoseForest.Memory.Tests;

public class InferenceTests
{
    private static readonly MemoryScope Alice = Harness.User("alice");

    [Fact]
    public async Task Infer_without_a_chat_client_is_refused_clearly()
    {
        await using var h = Harness.Create();
        var e = await Assert.ThrowsAsync<ValidationException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = "I moved to Lisbon", Scope = Alice, Infer = true }));
        Assert.Equal("infer", e.Field);
        Assert.Contains("no chat client", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Store.KeywordIndex.Count);
    }

    [Fact]
    public async Task Infer_stores_the_extracted_facts_and_supersedes_what_they_replace()
    {
        var chat = new ScriptedChatClient();
        await using var h = Harness.Create(new MemoryOptions { ChatClient = chat });
        var berlin = await h.AddAsync("The user lives in Berlin", Alice);
        chat.Answer = prompt =>
        {
            // A deterministic "model": it supersedes the memory about where the user lives.
            var line = prompt.Split('\n').First(l => l.Contains("lives in Berlin", StringComparison.Ordinal));
            var id = line[..line.IndexOf(':', StringComparison.Ordinal)];
            return "```json\n" +
                "{\"facts\": [{\"text\": \"The user lives in Lisbon\", \"supersedes\": [\"" + id + "\"]}, " +
                "{\"text\": \"The user has a dog named Rex\", \"supersedes\": [\"not-an-offered-id\"]}]}\n```";
        };

        var events = await h.Store.AddAsync(new AddMemoryRequest { Text = "user: I just moved to Lisbon with my dog Rex", Scope = Alice, Infer = true });
        Assert.Equal(["add", "superseded", "add"], events.Select(e => e.Event));
        Assert.Equal(berlin, events[1].Id);
        Assert.Contains("user: I just moved to Lisbon", chat.LastPrompt, StringComparison.Ordinal);
        Assert.Equal(events[0].Id, (await h.Store.GetAsync(berlin)).SupersededBy);
        Assert.Equal(["The user has a dog named Rex", "The user lives in Lisbon"], (await h.Store.ListAsync(new ListMemoryRequest { Scope = Alice })).Memories.Select(m => m.Text).Order());
    }

    [Fact]
    public async Task An_unusable_answer_is_an_error_and_stores_nothing()
    {
        var chat = new ScriptedChatClient { Answer = _ => "Sure! Here are the facts: the user likes tea." };
        await using var h = Harness.Create(new MemoryOptions { ChatClient = chat });
        await Assert.ThrowsAsync<MemoryInferenceException>(() => h.Store.AddAsync(new AddMemoryRequest { Text = "I like tea", Scope = Alice, Infer = true }));
        Assert.Equal(0, h.Store.KeywordIndex.Count);
    }

    /// <summary>A chat client that answers with a function of the last user message.</summary>
    private sealed class ScriptedChatClient : IChatClient
    {
        public Func<string, string> Answer { get; set; } = _ => """{"facts": []}""";

        public string LastPrompt { get; private set; } = string.Empty;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            Assert.Equal(ChatRole.System, list[0].Role);
            LastPrompt = list[^1].Text;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(LastPrompt))));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
