// Drives RoseForest's A2A door with the official A2A JavaScript SDK (@a2a-js/sdk, pinned in
// package-lock.json): resolve a model's agent card, send it a message over the HTTP+JSON binding,
// stream and cancel another, poll the task while the recipient (over RoseForest's REST routes) receives and acknowledges it.
// Usage: node check.mjs <base url> <sender key> <recipient model> <recipient key>
import assert from "node:assert/strict";
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, RestTransportFactory } from "@a2a-js/sdk/client";

const [base, senderKey, recipient, recipientKey] = process.argv.slice(2);
const withKey = (key) => (url, init = {}) => fetch(url, { ...init, headers: { ...(init.headers ?? {}), "api-key": key } });
const fetchImpl = withKey(senderKey);

const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
  transports: [new RestTransportFactory({ fetchImpl })],
  cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
  preferredTransports: ["HTTP+JSON"],
}));

// The card lives under the model's A2A root; the SDK resolves .well-known/agent-card.json against it.
const client = await factory.createFromUrl(`${base}/a2a/${recipient}/`);
const card = await client.getAgentCard();
assert.equal(card.supportedInterfaces[0].protocolBinding, "HTTP+JSON");
assert.ok(card.name.length > 0, "the card has the contract's name");
assert.ok(card.skills.length > 0, "the card lists the contract's capabilities as skills");

const message = (id, text) => ({ message: { messageId: id, role: 1, parts: [{ content: { $case: "text", value: text }, filename: "", mediaType: "" }], contextId: "", taskId: "", extensions: [], referenceTaskIds: [] } });
const task = await client.sendMessage(message("a2a-msg-1", "hello from the A2A SDK"));
assert.ok(task.id, "message:send answers a task");
assert.equal(task.status.state, 1, "the task is SUBMITTED while the message waits in the mailbox");

// A retried send (same messageId) is the same task: the mailbox's idempotency key.
const again = await client.sendMessage(message("a2a-msg-1", "hello from the A2A SDK"));
assert.equal(again.id, task.id);

// message:stream answers the task, then its status changes; the sender withdraws this one (tasks/{id}:cancel),
// so the stream's last event is CANCELED and the server closes it.
const states = [];
for await (const event of client.sendMessageStream(message("a2a-msg-2", "second"))) {
  if (event.payload.$case === "task") {
    states.push(event.payload.value.status.state);
    const canceled = await client.cancelTask({ id: event.payload.value.id, tenant: "" });
    assert.equal(canceled.status.state, 5, "CANCELED once its sender withdrew it");
  } else {
    assert.equal(event.payload.$case, "statusUpdate");
    states.push(event.payload.value.status.state);
  }
}
assert.deepEqual(states, [1, 5]);

// The recipient, offline until now, receives through RoseForest's REST mailbox and acks.
const asRecipient = withKey(recipientKey);
const post = (path, body) => asRecipient(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());
const received = (await post(`/mailboxes/${recipient}/receive`, { max: 10 })).result;
const mine = received.find((m) => m.body?.a2a?.message?.messageId === "a2a-msg-1");
assert.ok(mine, "the A2A message is in the recipient's mailbox, verbatim");
assert.ok(!received.some((m) => m.body?.a2a?.message?.messageId === "a2a-msg-2"), "a canceled message is never delivered");
assert.equal(mine.id, task.id);
assert.equal(mine.text, "hello from the A2A SDK");

let polled = await client.getTask({ id: task.id, tenant: "" });
assert.equal(polled.status.state, 2, "WORKING once the recipient received it");
const ack = (await post(`/mailboxes/${recipient}/ack`, { ids: [task.id] })).result;
assert.deepEqual(ack.acked, [task.id]);
polled = await client.getTask({ id: task.id, tenant: "" });
assert.equal(polled.status.state, 3, "COMPLETED once the recipient acked it");

// An acknowledged task cannot be canceled; an unknown task is not found: typed A2A errors, not crashes.
await assert.rejects(client.cancelTask({ id: task.id, tenant: "" }), (e) => e.name === "TaskNotCancelableError");
await assert.rejects(client.getTask({ id: "00000000-0000-0000-0000-000000000000", tenant: "" }), (e) => e.name === "TaskNotFoundError");
console.log("all checks passed");
