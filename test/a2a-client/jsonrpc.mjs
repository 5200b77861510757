// Drives RoseForest's A2A JSON-RPC binding with the official A2A JavaScript SDK (@a2a-js/sdk, pinned
// in package-lock.json): the A2A 1.0 JSON-RPC transport the card advertises (SendMessage, GetTask,
// CancelTask, SendStreamingMessage), then the SDK's A2A 0.3 transport (message/send, tasks/get,
// tasks/cancel) against the same URL. The recipient works through RoseForest's REST mailbox.
// Usage: node jsonrpc.mjs <base url> <sender key> <recipient model> <recipient key>
import assert from "node:assert/strict";
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory } from "@a2a-js/sdk/client";

const [base, senderKey, recipient, recipientKey] = process.argv.slice(2);
const withKey = (key) => (url, init = {}) => fetch(url, { ...init, headers: { ...(init.headers ?? {}), "api-key": key } });
const fetchImpl = withKey(senderKey);
const asRecipient = withKey(recipientKey);
const post = (path, body) => asRecipient(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
const receive = async () => (await post(`/mailboxes/${recipient}/receive`, { max: 10 })).result;
const ack = async (id) => (await post(`/mailboxes/${recipient}/ack`, { ids: [id] })).result;

const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  transports: [new JsonRpcTransportFactory({ fetchImpl })],
  cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
  preferredTransports: ["JSONRPC"],
}));
const client = await factory.createFromUrl(`${base}/a2a/${recipient}/`);
const card = await client.getAgentCard();
const rpc = card.supportedInterfaces.find((i) => i.protocolBinding === "JSONRPC");
assert.ok(rpc, "the card advertises the JSON-RPC binding");
assert.equal(rpc.protocolVersion, "1.0");
assert.equal(card.capabilities.streaming, true);

const message = (id, text) => ({ message: { messageId: id, role: 1, parts: [{ content: { $case: "text", value: text }, filename: "", mediaType: "" }], contextId: "", taskId: "", extensions: [], referenceTaskIds: [] } });

// SendMessage: a SUBMITTED task; a retry with the same messageId is the same task.
const task = await client.sendMessage(message("rpc-1", "hello over JSON-RPC"));
assert.equal(task.status.state, 1);
assert.equal((await client.sendMessage(message("rpc-1", "hello over JSON-RPC"))).id, task.id);
const inbox = await receive();
assert.equal(inbox.find((m) => m.id === task.id)?.text, "hello over JSON-RPC");
assert.equal((await client.getTask({ id: task.id, tenant: "" })).status.state, 2, "WORKING once received");
// Acked before the next message: a sender's later message is held while an earlier one is leased unacknowledged.
assert.deepEqual((await ack(task.id)).acked, [task.id]);
assert.equal((await client.getTask({ id: task.id, tenant: "" })).status.state, 3, "COMPLETED once acked");

// SendStreamingMessage: the task, then WORKING when the recipient receives it, then COMPLETED when it acks; then the stream ends.
const states = [];
for await (const event of client.sendMessageStream(message("rpc-2", "watch me"))) {
  const value = event.payload.value;
  const state = value.status.state;
  states.push(state);
  const id = event.payload.$case === "task" ? value.id : value.taskId;
  if (state === 1) {
    assert.ok((await receive()).some((m) => m.id === id));
  } else if (state === 2) {
    assert.deepEqual((await ack(id)).acked, [id]);
  }
}
assert.deepEqual(states, [1, 2, 3]);

// CancelTask: the sender withdraws an unacknowledged message; it is never delivered; cancelling again is harmless.
const doomed = await client.sendMessage(message("rpc-3", "never mind"));
assert.equal((await client.cancelTask({ id: doomed.id, tenant: "" })).status.state, 5);
assert.equal((await client.cancelTask({ id: doomed.id, tenant: "" })).status.state, 5);
assert.ok(!(await receive()).some((m) => m.id === doomed.id), "a canceled message is never delivered");
assert.equal((await client.getTask({ id: doomed.id, tenant: "" })).status.state, 5);

// SubscribeToTask: a second watcher of a waiting task sees it, then its cancel, then the end of the stream.
const watched = await client.sendMessage(message("rpc-5", "watch from elsewhere"));
const seen = [];
for await (const event of client.resubscribeTask({ id: watched.id, tenant: "" })) {
  seen.push(event.payload.value.status.state);
  if (event.payload.$case === "task") {
    await client.cancelTask({ id: watched.id, tenant: "" });
  }
}
assert.deepEqual(seen, [1, 5]);

// An acknowledged task cannot be canceled (-32002); an unknown one is not found (-32001).
await assert.rejects(client.cancelTask({ id: task.id, tenant: "" }), (e) => e.name === "JsonRpcTaskNotCancelableError" || e.name === "TaskNotCancelableError");
await assert.rejects(client.getTask({ id: "00000000-0000-0000-0000-000000000000", tenant: "" }), (e) => e.name === "JsonRpcTaskNotFoundError" || e.name === "TaskNotFoundError");

// The same URL speaks A2A 0.3's method names (message/send, tasks/get, tasks/cancel) through the SDK's legacy transport.
const legacyFactory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  transports: [new JsonRpcTransportFactory({ fetchImpl, legacyCompat: { enabled: true } })],
  cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
  preferredTransports: ["JSONRPC"],
}));
const legacy = await legacyFactory.createFromAgentCard({ ...card, supportedInterfaces: [{ ...rpc, protocolVersion: "0.3" }] });
const old = await legacy.sendMessage(message("rpc-4", "hello from 0.3"));
assert.equal(old.status.state, 1);
assert.equal((await legacy.getTask({ id: old.id, tenant: "" })).status.state, 1);
assert.equal((await legacy.cancelTask({ id: old.id, tenant: "" })).status.state, 5);

// A raw JSON-RPC error for a method the door does not have.
const raw = await fetchImpl(rpc.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 7, method: "NoSuchMethod", params: {} }) }).then((r) => r.json());
assert.equal(raw.error.code, -32601);
assert.equal(raw.id, 7);
console.log("all checks passed");
