// The official MCP TypeScript SDK client against RoseForest's MCP server: lists the tools, checks
// their names and argument names, and calls every one. Usage:
//   node check.mjs http <base-url> [api-key]
//   node check.mjs stdio <command> [args...]
// Prints "all checks passed" and exits 0, or prints the failure and exits 1.
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const [mode, target, ...rest] = process.argv.slice(2);
let transport;
if (mode === "http") {
  const headers = rest[0] ? { Authorization: `Bearer ${rest[0]}` } : {};
  transport = new StreamableHTTPClientTransport(new URL(`${target}/mcp`), { requestInit: { headers } });
} else if (mode === "stdio") {
  transport = new StdioClientTransport({ command: target, args: rest, stderr: "inherit" });
} else {
  console.error("usage: node check.mjs http <base-url> [api-key] | stdio <command> [args...]");
  process.exit(2);
}

const expected = {
  add_memory: ["text", "user_id", "agent_id", "run_id", "app_id", "metadata", "kind", "infer"],
  search_memories: ["query", "user_id", "agent_id", "run_id", "app_id", "filters", "limit", "as_of"],
  get_memory: ["memory_id"],
  list_memories: ["user_id", "agent_id", "run_id", "app_id", "limit", "cursor"],
  update_memory: ["memory_id", "text", "metadata"],
  delete_memory: ["memory_id"],
  delete_all_memories: ["user_id", "agent_id", "run_id", "app_id"],
  memory_history: ["memory_id"],
  "qdrant-store": ["information", "collection_name", "metadata"],
  "qdrant-find": ["query", "collection_name"],
};

// `roseforest mcp` (stdio) also serves model communication's mailbox tools.
const mailbox = {
  send_message: ["to", "body", "text", "idempotency_key", "ttl_seconds"],
  receive_messages: ["model", "max", "wait_ms", "visibility_ms"],
  ack_messages: ["model", "ids"],
  broadcast: ["body", "text", "idempotency_key", "capability", "namespace", "type"],
  search_messages: ["model", "text", "limit"],
};
if (mode === "stdio") {
  Object.assign(expected, mailbox);
}

const client = new Client({ name: "roseforest-ts-check", version: "1.0.0" });
const json = (result) => {
  assert.ok(!result.isError, `tool error: ${result.content?.[0]?.text}`);
  return JSON.parse(result.content[0].text);
};
const call = async (name, args) => client.callTool({ name, arguments: args });

try {
  await client.connect(transport);
  assert.equal(client.getServerVersion().name, "roseforest");

  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), Object.keys(expected).sort());
  for (const tool of tools) {
    assert.equal(tool.inputSchema.type, "object", tool.name);
    assert.deepEqual(Object.keys(tool.inputSchema.properties ?? {}).sort(), [...expected[tool.name]].sort(), tool.name);
    assert.ok(tool.description.length > 20, `${tool.name} has a description`);
  }

  if (mode === "stdio") {
    // The folder has no registered models: a mailbox tool answers a tool error naming the model.
    const unknown = await call("receive_messages", { model: "nobody" });
    assert.ok(unknown.isError);
    assert.match(unknown.content[0].text, /nobody/);
  }

  const user = `ts-${mode}-${Date.now()}`;
  const added = json(await call("add_memory", { text: "The user's favourite drink is green tea", user_id: user, metadata: { topic: "drinks" } }));
  assert.equal(added.results.length, 1);
  assert.equal(added.results[0].event, "add");
  const id = added.results[0].id;

  const merged = json(await call("add_memory", { text: "The user's favourite drink is green tea", user_id: user }));
  assert.equal(merged.results[0].event, "merge");
  assert.equal(merged.results[0].id, id);

  json(await call("add_memory", { text: "Met the team in Lisbon for the offsite", user_id: user, kind: "episodic" }));

  const found = json(await call("search_memories", { query: "green tea drink", user_id: user, filters: { topic: "drinks" }, limit: 5 }));
  assert.equal(found.results[0].id, id);
  const nothing = json(await call("search_memories", { query: "quantum chromodynamics lattice", user_id: user }));
  assert.equal(nothing.results.length, 0);
  const otherUser = json(await call("search_memories", { query: "green tea drink", user_id: `${user}-other` }));
  assert.equal(otherUser.results.length, 0);

  const got = json(await call("get_memory", { memory_id: id }));
  assert.equal(got.memory, "The user's favourite drink is green tea");
  assert.equal(got.user_id, user);

  const page = json(await call("list_memories", { user_id: user, limit: 1 }));
  assert.equal(page.results.length, 1);
  const page2 = json(await call("list_memories", { user_id: user, limit: 1, cursor: page.next_cursor }));
  assert.equal(page2.results.length, 1);
  assert.notEqual(page2.results[0].id, page.results[0].id);

  const updated = json(await call("update_memory", { memory_id: id, text: "The user's favourite drink is jasmine tea" }));
  assert.equal(updated.version, 2);
  const history = json(await call("memory_history", { memory_id: id }));
  assert.deepEqual(history.results.map((v) => v.event), ["add", "merge", "update"]);

  assert.equal(json(await call("delete_memory", { memory_id: id })).deleted, true);
  const missing = await call("get_memory", { memory_id: id });
  assert.ok(missing.isError, "a deleted memory is not found");
  const deletedAll = json(await call("delete_all_memories", { user_id: user }));
  assert.equal(deletedAll.deleted, 1);

  const bad = await call("add_memory", { text: "no scope" });
  assert.ok(bad.isError && /user_id/.test(bad.content[0].text), "a memory without a scope is refused");

  const stored = await call("qdrant-store", { information: "RoseForest speaks MCP", collection_name: `ts_${mode}`, metadata: { source: "ts" } });
  assert.ok(!stored.isError && /Remembered/.test(stored.content[0].text));
  const find = await call("qdrant-find", { query: "RoseForest MCP", collection_name: `ts_${mode}` });
  assert.ok(!find.isError && find.content[0].text.includes("RoseForest speaks MCP"), find.content[0].text);

  console.log("all checks passed");
  await client.close();
} catch (e) {
  console.error(e);
  try { await client.close(); } catch { /* closing after a failure */ }
  process.exit(1);
}
