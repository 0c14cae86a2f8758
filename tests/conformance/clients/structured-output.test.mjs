// Structured output through real clients: the Vercel AI SDK's generateObject / streamObject
// (json_schema with supportsStructuredOutputs, json_object without) and the openai client's
// Responses API with text.format. venice-sim's `echo` scenario answers with the prompt, so a
// JSON prompt is a valid answer; `first_prefix` spoils the first attempt only (the proxy's one
// correction fixes it) and `prefix` every attempt (the client gets invalid_structured_output,
// never the invalid answer).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateObject, streamObject } from 'ai';
import OpenAI from 'openai';
import { z } from 'zod';
import { MODELS, REQUEST_TIMEOUT_MS, simRequests, startStack } from './harness.mjs';

const city = { name: 'Rome', population: 2800000 };
const citySchema = z.object({ name: z.string(), population: z.number().int() });

describe('structured output: generateObject, streamObject, Responses text.format', { timeout: 90_000 }, () => {
  let stack;
  let strictProvider;
  let plainProvider;
  let openai;

  before(async () => {
    stack = await startStack();
    const common = { baseURL: stack.proxyBaseUrl, apiKey: 'unused-by-the-proxy' };
    strictProvider = createOpenAICompatible({ name: 'venice-e2ee-proxy', supportsStructuredOutputs: true, ...common });
    plainProvider = createOpenAICompatible({ name: 'venice-e2ee-proxy', ...common });
    openai = new OpenAI({ ...common, timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  async function chatRecords() {
    return (await simRequests(stack)).filter((r) => r.path.endsWith('/chat/completions'));
  }

  const call = { maxRetries: 0, abortSignal: AbortSignal.timeout(2 * REQUEST_TIMEOUT_MS) };

  for (const [label, provider] of [
    ['json_schema', () => strictProvider],
    ['json_object', () => plainProvider],
  ]) {
    test(`generateObject (${label}) returns the validated object`, async () => {
      const result = await generateObject({ model: provider()(MODELS.hermes), schema: citySchema, prompt: JSON.stringify(city), ...call });
      assert.deepEqual(result.object, city);
      assert.equal(result.finishReason, 'stop');
    });
  }

  test('streamObject streams the validated object', async () => {
    const result = streamObject({
      model: strictProvider(MODELS.qwen),
      schema: citySchema,
      prompt: `sim:scenario=echo split=awkward\n${JSON.stringify(city)}`,
      ...call,
    });
    const partials = [];
    for await (const partial of result.partialObjectStream) partials.push(partial);
    assert.ok(partials.length >= 1);
    assert.deepEqual(await result.object, city);
  });

  test('an invalid first answer is corrected by the proxy, unseen by the client', async () => {
    const before = (await chatRecords()).length;
    const result = await generateObject({
      model: strictProvider(MODELS.glm),
      schema: citySchema,
      prompt: `sim:scenario=echo first_prefix=Here:\n${JSON.stringify(city)}`,
      ...call,
    });
    assert.deepEqual(result.object, city);
    assert.equal(result.response.headers['x-venice-proxy-structured-output-retries'], '1');
    const records = (await chatRecords()).slice(before);
    assert.equal(records.length, 2);
    assert.equal(records[1].correction_prompt_present, true);
    assert.ok(records.every((r) => r.all_contents_ciphertext));
  });

  test('an answer that never validates is invalid_structured_output, for generateObject and streamObject', async () => {
    const prompt = `sim:scenario=echo prefix=Here:\n${JSON.stringify(city)}`;
    await assert.rejects(generateObject({ model: strictProvider(MODELS.hermes), schema: citySchema, prompt, ...call }), (err) => {
      assert.equal(err.statusCode, 502);
      assert.match(err.responseBody, /invalid_structured_output/);
      return true;
    });
    const errors = [];
    const result = streamObject({ model: strictProvider(MODELS.hermes), schema: citySchema, prompt, ...call, onError: ({ error }) => errors.push(error) });
    const partials = [];
    for await (const partial of result.partialObjectStream) partials.push(partial);
    assert.deepEqual(partials, []);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0].responseBody ?? errors[0]), /invalid_structured_output/);
  });

  test('Responses API text.format json_schema', async () => {
    const response = await openai.responses.create({
      model: MODELS.hermes,
      input: JSON.stringify(city),
      text: {
        format: {
          type: 'json_schema',
          name: 'city',
          strict: true,
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, population: { type: 'integer' } },
            required: ['name', 'population'],
            additionalProperties: false,
          },
        },
      },
    });
    assert.equal(response.status, 'completed');
    assert.deepEqual(JSON.parse(response.output_text), city);
  });
});
