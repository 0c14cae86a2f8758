// The `@anthropic-ai/sdk` client against the proxy's Anthropic Messages front end
// (POST /v1/messages): messages.create and messages.stream, each with a tool loop (tool_use ->
// client runs it -> tool_result -> final answer), a `role: "system"` entry after the user turn
// as Claude Code sends it, thinking blocks from a reasoning model, a model alias from [aliases]
// (also listed by /v1/models), count_tokens, HEAD /, Anthropic's error shape (also for a missing
// client key), and fail-closed streams: an `error` event the SDK throws, never message_stop and
// never the plaintext.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { MODELS, REQUEST_TIMEOUT_MS, addClientKey, startStack } from './harness.mjs';

const ALIAS = 'claude_test_alias';
const bashTool = {
  name: 'Bash',
  description: 'Runs a shell command',
  input_schema: {
    type: 'object',
    properties: { command: { type: 'string' }, description: { type: 'string' } },
    required: ['command'],
  },
};
const toolDirective = 'sim:scenario=tool args={"command":"ls","description":"List"}';
const toolResult = 'sim:scenario=echo\nbash-result: hi';
const PLAINTEXT_FAULT = 'plaintext chunk from venice-sim';

function assertBashCall(message) {
  assert.equal(message.stop_reason, 'tool_use', JSON.stringify(message));
  const uses = message.content.filter((b) => b.type === 'tool_use');
  assert.equal(uses.length, 1);
  assert.match(uses[0].id, /^toolu_[0-9a-f]{32}$/);
  assert.equal(uses[0].name, 'Bash');
  assert.deepEqual(uses[0].input, { command: 'ls', description: 'List' });
  assert.ok(!JSON.stringify(message.content).includes('<tool_call>'));
  return uses[0];
}

describe('anthropic client: Messages API', { timeout: 120_000 }, () => {
  let stack;
  let client;
  let dir;
  let keyedStack;
  let secret;

  before(async () => {
    stack = await startStack({ proxyEnv: { [`VENICE_E2EE_PROXY__ALIASES__${ALIAS}`]: MODELS.hermes } });
    client = new Anthropic({ baseURL: stack.proxyOrigin, apiKey: 'unused-by-the-proxy', timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
    await keyedStack?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('messages.create: text, system blocks, a system entry after the user turn', async () => {
    const message = await client.messages.create({
      model: MODELS.hermes,
      max_tokens: 1024,
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hello anthropic' }] },
        { role: 'system', content: 'Available agent types: none' },
      ],
    });
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.match(message.id, /^msg_[0-9a-f]{32}$/);
    assert.equal(message.stop_reason, 'end_turn');
    assert.deepEqual(message.content, [{ type: 'text', text: 'hello anthropic' }]);
    assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0);
  });

  test('messages.create: tool loop', async () => {
    const messages = [{ role: 'user', content: `${toolDirective}\nRun echo` }];
    const first = await client.messages.create({ model: MODELS.hermes, max_tokens: 1024, tools: [bashTool], messages });
    const use = assertBashCall(first);
    const second = await client.messages.create({
      model: MODELS.hermes, max_tokens: 1024, tools: [bashTool],
      messages: [...messages, { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: toolResult, is_error: false }] }],
    });
    assert.equal(second.stop_reason, 'end_turn');
    assert.match(second.content[0].text, /bash-result: hi/);
  });

  test('messages.stream: tool loop with the streaming events', async () => {
    const messages = [{ role: 'user', content: `${toolDirective}\nRun echo` }];
    const seen = [];
    const stream = client.messages.stream({ model: MODELS.hermes, max_tokens: 1024, tools: [bashTool], messages });
    stream.on('streamEvent', (event) => seen.push(event.type));
    const first = await stream.finalMessage();
    const use = assertBashCall(first);
    assert.equal(seen[0], 'message_start');
    assert.deepEqual(seen.slice(-2), ['message_delta', 'message_stop']);
    assert.ok(seen.includes('content_block_start') && seen.includes('content_block_delta') && seen.includes('content_block_stop'));

    const texts = [];
    const next = client.messages.stream({
      model: MODELS.hermes, max_tokens: 1024, tools: [bashTool],
      messages: [...messages, { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: [{ type: 'text', text: toolResult }] }] }],
    });
    next.on('text', (t) => texts.push(t));
    const second = await next.finalMessage();
    assert.equal(second.stop_reason, 'end_turn');
    assert.match(texts.join(''), /bash-result: hi/);
  });

  test('thinking blocks from a reasoning model', async () => {
    const message = await client.messages.stream({
      model: MODELS.qwen, max_tokens: 1024, thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: 'sim:scenario=reasoning reasoning=2\nthink first' }],
    }).finalMessage();
    assert.deepEqual(message.content.map((b) => b.type), ['thinking', 'text']);
    assert.match(message.content[0].thinking, /Reasoning step 1\. Reasoning step 2\./);
    assert.equal(message.content[1].text, 'think first');
  });

  test('a model alias from [aliases] is served and listed', async () => {
    const message = await client.messages.create({
      model: ALIAS, max_tokens: 64, messages: [{ role: 'user', content: 'via alias' }],
    });
    assert.equal(message.model, ALIAS);
    assert.equal(message.content[0].text, 'via alias');
    const list = await (await fetch(`${stack.proxyBaseUrl}/models`)).json();
    assert.ok(list.data.some((m) => m.id === ALIAS), JSON.stringify(list.data.map((m) => m.id)));
  });

  test('count_tokens, HEAD /, ?beta=true and the anthropic headers', async () => {
    const count = await client.messages.countTokens({ model: MODELS.hermes, messages: [{ role: 'user', content: 'count me' }] });
    assert.ok(count.input_tokens > 0);
    const head = await fetch(`${stack.proxyOrigin}/`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    const beta = await client.beta.messages.create({
      model: MODELS.hermes, max_tokens: 64, messages: [{ role: 'user', content: 'beta path' }], betas: ['interleaved-thinking-2025-05-14'],
    });
    assert.equal(beta.content[0].text, 'beta path');
  });

  test("errors in Anthropic's shape", async () => {
    await assert.rejects(
      client.messages.create({ model: MODELS.hermes, max_tokens: 64, top_k: 3, messages: [{ role: 'user', content: 'x' }] }),
      (err) => err.status === 400 && err.error?.type === 'error' && err.error?.error?.type === 'invalid_request_error' &&
        /top_k/.test(err.error.error.message),
    );
    dir = await mkdtemp(path.join(os.tmpdir(), 'vep-anthropic-'));
    const keysFile = path.join(dir, 'keys.toml');
    secret = await addClientKey(keysFile, 'claude');
    keyedStack = await startStack({ keysFile });
    const keyed = new Anthropic({ baseURL: keyedStack.proxyOrigin, apiKey: 'vep-wrong', timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
    await assert.rejects(
      keyed.messages.create({ model: MODELS.hermes, max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }),
      (err) => err.status === 401 && err.error?.error?.type === 'authentication_error',
    );
    const good = new Anthropic({ baseURL: keyedStack.proxyOrigin, apiKey: secret, timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
    const message = await good.messages.create({ model: MODELS.hermes, max_tokens: 64, messages: [{ role: 'user', content: 'keyed' }] });
    assert.equal(message.content[0].text, 'keyed');
  });

  for (const fault of ['plaintext_chunk', 'wrong_key_chunk', 'disconnect']) {
    test(`fail closed on ${fault}: the stream ends in an error, never message_stop`, async () => {
      const seen = [];
      const texts = [];
      const stream = client.messages.stream({
        model: MODELS.hermes, max_tokens: 1024,
        messages: [{ role: 'user', content: `sim:scenario=long chunks=6 fault=${fault} fault_after=3` }],
      });
      stream.on('streamEvent', (event) => seen.push(event.type));
      stream.on('text', (t) => texts.push(t));
      await assert.rejects(stream.finalMessage(), (err) => {
        if (fault !== 'disconnect') assert.match(String(err.message), /decrypt/);
        return true;
      });
      assert.ok(!seen.includes('message_stop') && !seen.includes('message_delta'), seen.join(','));
      assert.ok(!texts.join('').includes(PLAINTEXT_FAULT));
    });
  }
});
