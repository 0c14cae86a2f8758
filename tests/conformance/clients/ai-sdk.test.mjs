// The Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`) against the proxy: generateText and
// streamText with a tool the SDK executes itself, so the proxy sees a second turn carrying the
// assistant tool call and the tool result, for every tool format (Hermes, Qwen XML, GLM XML).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';
import { MODELS, REQUEST_TIMEOUT_MS, simRequests, startStack } from './harness.mjs';

const toolDirective = 'sim:scenario=tool args={"city":"Paris"}';
// The tool's result; its directive line makes the sim echo the tool-result turn as the answer.
const weatherReport = 'sim:scenario=echo\nweather-result: sunny, 22 C in Paris';
const finalAnswer = /weather-result: sunny, 22 C in Paris/;

// A weather tool whose executions are recorded in `calls`.
function weatherTool(calls, inputSchema) {
  return tool({
    description: 'Current weather for a city',
    inputSchema:
      inputSchema ??
      z.object({
        city: z.string().describe('City name'),
        unit: z.enum(['celsius', 'fahrenheit']).optional(),
      }),
    execute: async (input) => {
      calls.push(input);
      return weatherReport;
    },
  });
}

const rawWeatherSchema = jsonSchema({
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
});

// Checks the two-step run: a get_weather call with the sim's arguments, its result, then text.
function assertToolRoundTrip(calls, steps, text) {
  assert.deepEqual(calls, [{ city: 'Paris' }]);
  assert.equal(steps.length, 2, `expected 2 steps, got ${steps.length}`);
  const [first, second] = steps;
  assert.equal(first.finishReason, 'tool-calls');
  assert.equal(first.toolCalls.length, 1);
  assert.equal(first.toolCalls[0].toolName, 'get_weather');
  assert.match(first.toolCalls[0].toolCallId, /^call_[0-9a-f]{32}$/);
  assert.equal(first.toolResults.length, 1);
  assert.equal(second.finishReason, 'stop');
  assert.equal(second.toolCalls.length, 0);
  assert.match(text, finalAnswer);
}

describe('Vercel AI SDK: tools with automatic tool execution', { timeout: 60_000 }, () => {
  let stack;
  let provider;

  before(async () => {
    stack = await startStack();
    provider = createOpenAICompatible({ name: 'venice-e2ee-proxy', baseURL: stack.proxyBaseUrl, apiKey: 'unused-by-the-proxy' });
  });
  after(async () => {
    await stack?.stop();
  });

  async function lastChatRecord() {
    const chats = (await simRequests(stack)).filter((r) => r.path.endsWith('/chat/completions'));
    return chats.at(-1);
  }

  for (const [family, model] of Object.entries(MODELS)) {
    test(`${family}: generateText runs the tool and answers in a second turn`, async () => {
      const calls = [];
      const result = await generateText({
        model: provider(model),
        tools: { get_weather: weatherTool(calls) },
        stopWhen: stepCountIs(4),
        maxRetries: 0,
        abortSignal: AbortSignal.timeout(2 * REQUEST_TIMEOUT_MS),
        system: 'Use tools when they help.',
        prompt: `${toolDirective}\nWhat is the weather in Paris?`,
      });
      assertToolRoundTrip(calls, result.steps, result.text);

      const last = await lastChatRecord();
      assert.deepEqual(last.message_roles, ['system', 'user', 'assistant', 'user']);
      assert.equal(last.all_contents_ciphertext, true);
    });

    test(`${family}: streamText runs the tool and streams the final answer`, async () => {
      const calls = [];
      const result = streamText({
        model: provider(model),
        tools: { get_weather: weatherTool(calls) },
        stopWhen: stepCountIs(4),
        maxRetries: 0,
        abortSignal: AbortSignal.timeout(2 * REQUEST_TIMEOUT_MS),
        prompt: `${toolDirective} split=awkward chunk_bytes=5\nWhat is the weather in Paris?`,
      });
      const errors = [];
      const kinds = new Set();
      let streamedText = '';
      for await (const part of result.fullStream) {
        kinds.add(part.type);
        if (part.type === 'error') errors.push(part.error);
        if (part.type === 'text-delta') streamedText += part.text;
      }
      assert.deepEqual(errors.map(String), []);
      for (const kind of ['tool-call', 'tool-result', 'text-delta', 'finish']) assert.ok(kinds.has(kind), `no ${kind} part`);
      assertToolRoundTrip(calls, await result.steps, await result.text);
      assert.match(streamedText, finalAnswer);
    });
  }

  test('a jsonSchema tool works like a zod tool', async () => {
    const calls = [];
    const result = await generateText({
      model: provider(MODELS.glm),
      tools: { get_weather: weatherTool(calls, rawWeatherSchema) },
      stopWhen: stepCountIs(4),
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(2 * REQUEST_TIMEOUT_MS),
      prompt: `${toolDirective}\nWhat is the weather in Paris?`,
    });
    assertToolRoundTrip(calls, result.steps, result.text);
  });

  // @ai-sdk/openai-compatible puts the step's reasoning on the assistant history message as
  // `reasoning_content`; the proxy accepts and drops that key, so agents on reasoning models get
  // past turn two.
  test('reasoning before a tool call survives the second turn (qwen)', async () => {
    const calls = [];
    const result = await generateText({
      model: provider(MODELS.qwen),
      tools: { get_weather: weatherTool(calls) },
      stopWhen: stepCountIs(4),
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(2 * REQUEST_TIMEOUT_MS),
      prompt: `${toolDirective} reasoning=2\nWhat is the weather in Paris?`,
    });
    assert.equal(result.steps[0].reasoningText, 'Reasoning step 1. Reasoning step 2. ');
    assertToolRoundTrip(calls, result.steps, result.text);
  });
});
