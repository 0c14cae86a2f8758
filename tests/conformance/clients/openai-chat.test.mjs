// The `openai` npm client against the proxy (in front of venice-sim): plain chat buffered and
// streamed, usage chunks, reasoning content, the model list and an OpenAI-shaped error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { MODELS, REQUEST_TIMEOUT_MS, simRequests, startStack } from './harness.mjs';

describe('openai client: chat', { timeout: 60_000 }, () => {
  let stack;
  let client;

  before(async () => {
    stack = await startStack();
    client = new OpenAI({ baseURL: stack.proxyBaseUrl, apiKey: 'unused-by-the-proxy', timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  test('non-streaming chat answers the echo and reports E2EE headers', async () => {
    const { data: completion, response } = await client.chat.completions
      .create({
        model: MODELS.hermes,
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'sim:scenario=echo prefix=Echo:\nhello over e2ee' },
        ],
      })
      .withResponse();
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices.length, 1);
    const [choice] = completion.choices;
    assert.equal(choice.message.role, 'assistant');
    assert.equal(choice.message.content, 'Echo:hello over e2ee');
    assert.equal(choice.finish_reason, 'stop');
    assert.equal(response.headers.get('x-venice-proxy-e2ee'), 'verified');
    assert.equal(response.headers.get('x-venice-proxy-attested-model'), MODELS.hermes);

    const records = (await simRequests(stack)).filter((r) => r.path.endsWith('/chat/completions'));
    assert.ok(records.length > 0, 'the sim saw no chat request');
    const last = records.at(-1);
    assert.equal(last.all_contents_ciphertext, true, 'a message reached the sim unencrypted');
    assert.equal(last.plaintext_leak_detected, false);
  });

  test('streaming chat delivers the answer as content deltas', async () => {
    const stream = await client.chat.completions.create({
      model: MODELS.glm,
      stream: true,
      messages: [{ role: 'user', content: 'sim:scenario=echo chunk_bytes=3\nstreamed words arrive in pieces' }],
    });
    const deltas = [];
    let finish = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      assert.equal(chunk.object, 'chat.completion.chunk');
      for (const choice of chunk.choices) {
        if (typeof choice.delta?.content === 'string') deltas.push(choice.delta.content);
        if (choice.finish_reason) finish = choice.finish_reason;
      }
    }
    assert.ok(deltas.length > 1, `expected several content deltas, got ${deltas.length} in ${chunks} chunks`);
    assert.equal(deltas.join(''), 'streamed words arrive in pieces');
    assert.equal(finish, 'stop');
  });

  test('stream_options.include_usage delivers a usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: MODELS.qwen,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count my tokens' }],
    });
    let usage = null;
    let text = '';
    for await (const chunk of stream) {
      if (chunk.usage) {
        assert.deepEqual(chunk.choices, [], 'the usage chunk must have no choices');
        usage = chunk.usage;
      }
      for (const choice of chunk.choices) text += choice.delta?.content ?? '';
    }
    assert.equal(text, 'count my tokens');
    assert.ok(usage, 'no usage chunk arrived');
    for (const key of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
      assert.equal(typeof usage[key], 'number', `usage.${key} is not a number: ${JSON.stringify(usage)}`);
    }
  });

  test('streaming without include_usage sends no usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: MODELS.qwen,
      stream: true,
      messages: [{ role: 'user', content: 'no usage please' }],
    });
    for await (const chunk of stream) assert.ok(!chunk.usage, `unexpected usage chunk ${JSON.stringify(chunk)}`);
  });

  test('reasoning_content arrives on streamed deltas, separate from content', async () => {
    const stream = await client.chat.completions.create({
      model: MODELS.qwen,
      stream: true,
      messages: [{ role: 'user', content: 'sim:scenario=reasoning reasoning=2\nthink first' }],
    });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        reasoning += choice.delta?.reasoning_content ?? '';
        content += choice.delta?.content ?? '';
      }
    }
    assert.equal(reasoning, 'Reasoning step 1. Reasoning step 2. ');
    assert.equal(content, 'think first');
  });

  test('reasoning_content is on the buffered message', async () => {
    const completion = await client.chat.completions.create({
      model: MODELS.qwen,
      messages: [{ role: 'user', content: 'sim:scenario=reasoning reasoning=2\nthink first' }],
    });
    const { message } = completion.choices[0];
    assert.equal(message.reasoning_content, 'Reasoning step 1. Reasoning step 2. ');
    assert.equal(message.content, 'think first');
  });

  test('models.list lists only the E2EE text models', async () => {
    const ids = [];
    for await (const model of client.models.list()) {
      assert.equal(model.object, 'model');
      ids.push(model.id);
    }
    for (const id of Object.values(MODELS)) assert.ok(ids.includes(id), `${id} missing from ${ids.join(', ')}`);
    for (const id of ids) assert.match(id, /^e2ee-/, `non-E2EE model listed: ${id}`);
    assert.ok(!ids.includes('venice-uncensored'));
  });

  test('tool_choice required without tools is a 400 with an OpenAI error body', async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: MODELS.hermes,
        tool_choice: 'required',
        messages: [{ role: 'user', content: 'call something' }],
      }),
      (err) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `expected BadRequestError, got ${err?.constructor?.name}: ${err?.message}`);
        assert.equal(err.status, 400);
        assert.equal(err.code, 'invalid_request');
        assert.equal(err.type, 'invalid_request_error');
        assert.equal(err.headers.get('x-venice-proxy-error-code'), 'invalid_request');
        return true;
      },
    );
  });

  test('an unsupported request field is a 400 naming the field', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: MODELS.hermes, n: 2, messages: [{ role: 'user', content: 'hi' }] }),
      (err) => {
        assert.equal(err.status, 400);
        assert.equal(err.code, 'unsupported_request_field');
        assert.match(err.message, /\bn\b/);
        return true;
      },
    );
  });
});
