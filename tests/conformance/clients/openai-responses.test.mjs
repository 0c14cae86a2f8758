// The `openai` npm client's Responses API (`client.responses.create`) against the proxy's
// POST /v1/responses front end: buffered and streamed answers with the full event sequence,
// reasoning items, a function-tool loop (call -> client runs it -> function_call_output -> final
// answer) streamed and not, the stateless refusals, and fail-closed streams (plaintext chunk,
// wrong-key chunk, upstream cut mid-stream): an error event and response.failed, never
// response.completed and never the plaintext.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { MODELS, REQUEST_TIMEOUT_MS, startStack } from './harness.mjs';

const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
  strict: false,
};
const toolDirective = 'sim:scenario=tool args={"city":"Paris"}';
const toolResult = 'sim:scenario=echo\nweather-result: sunny, 22 C in Paris';
const PLAINTEXT_FAULT = 'plaintext chunk from venice-sim';

async function collect(stream) {
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

// The event types in order, with runs of the same delta type collapsed to one.
function eventSequence(events) {
  const types = [];
  for (const e of events) if (types.at(-1) !== e.type || !e.type.endsWith('.delta')) types.push(e.type);
  return types;
}

describe('openai client: Responses API', { timeout: 90_000 }, () => {
  let stack;
  let client;

  before(async () => {
    stack = await startStack();
    client = new OpenAI({ baseURL: stack.proxyBaseUrl, apiKey: 'unused-by-the-proxy', timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  test('buffered text answer', async () => {
    const response = await client.responses.create({ model: MODELS.hermes, instructions: 'Be brief.', input: 'hello responses' });
    assert.equal(response.object, 'response');
    assert.match(response.id, /^resp_[0-9a-f]{32}$/);
    assert.equal(response.status, 'completed');
    assert.equal(response.output.length, 1);
    assert.equal(response.output[0].type, 'message');
    assert.equal(response.output[0].role, 'assistant');
    assert.equal(response.output_text, 'hello responses');
    assert.ok(response.usage.input_tokens > 0 && response.usage.output_tokens > 0, JSON.stringify(response.usage));
  });

  test('streamed text answer: the full event sequence', async () => {
    const events = await collect(
      await client.responses.create({ model: MODELS.hermes, input: 'sim:chunk_bytes=3\nstreamed hello', stream: true }),
    );
    assert.deepEqual(eventSequence(events), [
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      'response.output_text.delta', 'response.output_text.done', 'response.content_part.done',
      'response.output_item.done', 'response.completed',
    ]);
    const deltas = events.filter((e) => e.type === 'response.output_text.delta');
    assert.ok(deltas.length > 1, 'the text arrived in several deltas');
    assert.equal(deltas.map((e) => e.delta).join(''), 'streamed hello');
    const done = events.find((e) => e.type === 'response.output_item.done');
    assert.equal(done.item.content[0].text, 'streamed hello');
    const completed = events.at(-1).response;
    assert.equal(completed.status, 'completed');
    assert.equal(completed.output[0].content[0].text, 'streamed hello');
    assert.ok(completed.usage.output_tokens > 0);
    events.forEach((e, i) => assert.equal(e.sequence_number, i));
  });

  test('reasoning becomes a reasoning item, never fabricated encrypted content', async () => {
    const events = await collect(
      await client.responses.create({
        model: MODELS.qwen, input: 'sim:scenario=reasoning reasoning=2\nthink then answer', stream: true,
        include: ['reasoning.encrypted_content'], reasoning: { summary: 'auto' }, store: false,
      }),
    );
    const items = events.at(-1).response.output;
    assert.deepEqual(items.map((i) => i.type), ['reasoning', 'message']);
    assert.equal(items[0].content[0].type, 'reasoning_text');
    assert.match(items[0].content[0].text, /Reasoning step 1\. Reasoning step 2\./);
    assert.equal(items[0].encrypted_content, undefined);
    assert.equal(items[1].content[0].text, 'think then answer');
    assert.ok(events.some((e) => e.type === 'response.reasoning_text.delta'));
  });

  for (const stream of [false, true]) {
    test(`function-tool loop (${stream ? 'streamed' : 'buffered'})`, async () => {
      const input = [{ role: 'user', content: `${toolDirective}\nWhat is the weather in Paris?` }];
      let first;
      if (stream) {
        const events = await collect(await client.responses.create({ model: MODELS.hermes, input, tools: [weatherTool], stream }));
        assert.ok(events.some((e) => e.type === 'response.function_call_arguments.delta'));
        assert.ok(events.some((e) => e.type === 'response.function_call_arguments.done'));
        first = events.at(-1).response;
      } else {
        first = await client.responses.create({ model: MODELS.hermes, input, tools: [weatherTool] });
      }
      const calls = first.output.filter((i) => i.type === 'function_call');
      assert.equal(calls.length, 1, JSON.stringify(first.output));
      assert.equal(calls[0].name, 'get_weather');
      assert.match(calls[0].call_id, /^call_[0-9a-f]{32}$/);
      assert.deepEqual(JSON.parse(calls[0].arguments), { city: 'Paris' });
      assert.ok(!first.output.some((i) => i.type === 'message' && i.content.some((p) => p.text.includes('<tool_call>'))));

      const second = await client.responses.create({
        model: MODELS.hermes,
        tools: [weatherTool],
        input: [...input, ...first.output, { type: 'function_call_output', call_id: calls[0].call_id, output: toolResult }],
      });
      assert.equal(second.status, 'completed');
      assert.match(second.output_text, /weather-result: sunny, 22 C in Paris/);
    });
  }

  test('previous_response_id and store: true get a clear 400 (no server-side state)', async () => {
    await assert.rejects(
      client.responses.create({ model: MODELS.hermes, input: 'x', previous_response_id: 'resp_123' }),
      (err) => err.status === 400 && /previous_response_id/.test(err.message) && /whole conversation/.test(err.message),
    );
    await assert.rejects(
      client.responses.create({ model: MODELS.hermes, input: 'x', store: true }),
      (err) => err.status === 400 && /store/.test(err.message),
    );
  });

  for (const fault of ['plaintext_chunk', 'wrong_key_chunk', 'disconnect']) {
    test(`fail closed on ${fault}: error event and response.failed, never completed`, async () => {
      const events = await collect(
        await client.responses.create({
          model: MODELS.hermes, stream: true, input: `sim:scenario=long chunks=6 fault=${fault} fault_after=3`,
        }),
      );
      const types = events.map((e) => e.type);
      assert.ok(!types.includes('response.completed'), types.join(','));
      assert.ok(!types.includes('response.output_item.done'), 'a cut answer is never presented as a finished item');
      assert.deepEqual(types.slice(-2), ['error', 'response.failed']);
      assert.equal(events.at(-1).response.status, 'failed');
      assert.ok(!JSON.stringify(events).includes(PLAINTEXT_FAULT));
      if (fault !== 'disconnect') assert.equal(events.at(-2).code, 'e2ee_response_decryption_failed');
    });
  }
});
