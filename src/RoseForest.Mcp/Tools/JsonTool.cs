using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using RoseForest.Contracts.Qdrant;
using RoseForest.Memory;

namespace RoseForest.Mcp;

/// <summary>
/// An MCP tool with a hand-written JSON schema, so names and argument names are exactly the
/// documented ones (no naming policy in between). Arguments outside the schema are refused. Bad
/// input and unknown memories come back as a tool error result (<c>isError: true</c>) with the
/// message, which the calling model can read and act on; anything else is a protocol error.
/// </summary>
internal sealed class JsonTool : McpServerTool
{
    private readonly Func<ToolContext, JsonElement, CancellationToken, Task<string>> _invoke;
    private readonly Func<IServiceProvider?, ToolContext> _context;
    private readonly string[] _arguments;

    public JsonTool(string name, string description, string inputSchema, bool readOnly, bool destructive, Func<IServiceProvider?, ToolContext> context, Func<ToolContext, JsonElement, CancellationToken, Task<string>> invoke)
    {
        var schema = JsonElement.Parse(inputSchema);
        _arguments = [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];
        ProtocolTool = new Tool
        {
            Name = name,
            Description = description,
            InputSchema = schema,
            Annotations = new ToolAnnotations { ReadOnlyHint = readOnly, DestructiveHint = destructive, OpenWorldHint = false },
        };
        _context = context;
        _invoke = invoke;
    }

    public override Tool ProtocolTool { get; }

    public override IReadOnlyList<object> Metadata { get; } = [];

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var arguments = ToObject(request.Params?.Arguments);
        try
        {
            JsonFields.Object(arguments, string.Empty, _arguments);
            var text = await _invoke(_context(request.Services), arguments, cancellationToken).ConfigureAwait(false);
            return new CallToolResult { Content = [new TextContentBlock { Text = text }] };
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or JsonFormatException or UnauthorizedAccessException)
        {
            return new CallToolResult { Content = [new TextContentBlock { Text = e.Message }], IsError = true };
        }
    }

    private static JsonElement ToObject(IDictionary<string, JsonElement>? arguments)
    {
        var json = MemoryJson.ToJson(w =>
        {
            w.WriteStartObject();
            foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
            {
                w.WritePropertyName(name);
                value.WriteTo(w);
            }

            w.WriteEndObject();
        });
        return JsonElement.Parse(json);
    }
}

/// <summary>Resolves the <see cref="ToolContext"/> from the request's services (the HTTP transport).</summary>
internal static class ToolContexts
{
    public static ToolContext FromServices(IServiceProvider? services) =>
        (services ?? throw new InvalidOperationException("the MCP request carries no services")).GetRequiredService<ToolContext>();
}
