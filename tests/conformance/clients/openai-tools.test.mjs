// The `openai` npm client against the proxy's emulated tool calls: buffered and streamed tool
// calls for every tool format (Hermes, Qwen XML, GLM XML), a corrected retry, and the agent loop
// (tool call -> client runs the tool -> tool result -> final answer).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { MODELS, REQUEST_TIMEOUT_MS, simRequests, startStack } from './harness.mjs';

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: {
        city: { type: 'string', description: 'City name' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      },
      required: ['city'],
    },
  },
};
const toolDirective = 'sim:scenario=tool args={"city":"Paris"}';
// The tool's result; its directive line makes the sim echo the tool-result turn as the answer.
const toolResult = 'sim:scenario=echo\nweather-result: sunny, 22 C in Paris';

function assertWeatherCall(call) {
  assert.match(call.id, /^call_[0-9a-f]{32}$/);
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
}

// Reads a streamed answer into {content, reasoning, finish, toolCalls}; tool-call deltas are
// merged by index the way OpenAI clients do (arguments concatenated).
async function collectStream(stream) {
  const out = { content: '', reasoning: '', finish: null, toolCalls: [] };
  for await (const chunk of stream) {
    for (const choice of chunk.choices) {
      const delta = choice.delta ?? {};
      out.content += delta.content ?? '';
      out.reasoning += delta.reasoning_content ?? '';
      for (const part of delta.tool_calls ?? []) {
        const call = (out.toolCalls[part.index] ??= { id: '', type: 'function', function: { name: '', arguments: '' } });
        if (part.id) call.id = part.id;
        if (part.type) call.type = part.type;
        call.function.name += part.function?.name ?? '';
        call.function.arguments += part.function?.arguments ?? '';
      }
      if (choice.finish_reason) out.finish = choice.finish_reason;
    }
  }
  return out;
}

describe('openai client: tool calls', { timeout: 60_000 }, () => {
  let stack;
  let client;

  before(async () => {
    stack = await startStack();
    client = new OpenAI({ baseURL: stack.proxyBaseUrl, apiKey: 'unused-by-the-proxy', timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  for (const [family, model] of Object.entries(MODELS)) {
    test(`${family}: non-streaming tool call`, async () => {
      const completion = await client.chat.completions.create({
        model,
        tools: [weatherTool],
        messages: [{ role: 'user', content: `${toolDirective}\nWhat is the weather in Paris?` }],
      });
      const [choice] = completion.choices;
      assert.equal(choice.finish_reason, 'tool_calls');
      assert.equal(choice.message.tool_calls?.length, 1, JSON.stringify(choice.message));
      assertWeatherCall(choice.message.tool_calls[0]);
      assert.ok(!(choice.message.content ?? '').includes('<tool_call>'), 'raw tool markup leaked into content');
    });

    test(`${family}: streaming tool call`, async () => {
      const stream = await client.chat.completions.create({
        model,
        stream: true,
        tools: [weatherTool],
        messages: [{ role: 'user', content: `${toolDirective} split=awkward chunk_bytes=4\nWhat is the weather in Paris?` }],
      });
      const out = await collectStream(stream);
      assert.equal(out.finish, 'tool_calls');
      assert.equal(out.toolCalls.length, 1, JSON.stringify(out));
      assertWeatherCall(out.toolCalls[0]);
      assert.ok(!out.content.includes('<tool_call'), `raw tool markup leaked into content: ${JSON.stringify(out.content)}`);
    });

    test(`${family}: agent loop returns the final answer after the tool result`, async () => {
      const messages = [
        { role: 'system', content: 'Use tools when they help.' },
        { role: 'user', content: `${toolDirective}\nWhat is the weather in Paris?` },
      ];
      const first = await client.chat.completions.create({ model, tools: [weatherTool], messages });
      const { message } = first.choices[0];
      assert.equal(first.choices[0].finish_reason, 'tool_calls');
      const [call] = message.tool_calls;
      assertWeatherCall(call);

      // Hermes and GLM send content null, Qwen "" (both are what real agents send).
      messages.push({ role: 'assistant', content: family === 'qwen' ? '' : null, tool_calls: message.tool_calls });
      messages.push({ role: 'tool', tool_call_id: call.id, content: toolResult });
      const second = await client.chat.completions.create({ model, tools: [weatherTool], messages });
      const [final] = second.choices;
      assert.equal(final.finish_reason, 'stop');
      assert.ok(!final.message.tool_calls?.length, `unexpected second tool call ${JSON.stringify(final.message)}`);
      assert.match(final.message.content, /weather-result: sunny, 22 C in Paris/);

      const chats = (await simRequests(stack)).filter((r) => r.path.endsWith('/chat/completions'));
      const last = chats.at(-1);
      assert.deepEqual(last.message_roles, ['system', 'user', 'assistant', 'user']);
      assert.equal(last.all_contents_ciphertext, true);
      assert.equal(last.contains_tools_key, false, 'tools must not be forwarded to Venice');
    });
  }

  // The common agent pattern: append the returned assistant message unchanged.
  async function appendReturnedMessageLoop(model, directive) {
    const messages = [{ role: 'user', content: `${directive}\nWhat is the weather in Paris?` }];
    const first = await client.chat.completions.create({ model, tools: [weatherTool], messages });
    const { message } = first.choices[0];
    assertWeatherCall(message.tool_calls[0]);
    messages.push(message);
    messages.push({ role: 'tool', tool_call_id: message.tool_calls[0].id, content: toolResult });
    const second = await client.chat.completions.create({ model, tools: [weatherTool], messages });
    assert.match(second.choices[0].message.content, /weather-result: sunny, 22 C in Paris/);
  }

  test('agent loop appending the returned assistant message as is', async () => {
    await appendReturnedMessageLoop(MODELS.hermes, toolDirective);
  });

  // The proxy's own buffered answer carries `reasoning_content`; sent back as history it is
  // accepted and dropped.
  test('agent loop appending a returned message that carries reasoning_content (qwen)', async () => {
    await appendReturnedMessageLoop(MODELS.qwen, `${toolDirective} reasoning=2`);
  });

  test('streamed agent loop: tool call deltas, then the final answer streamed', async () => {
    const model = MODELS.glm;
    const messages = [{ role: 'user', content: `${toolDirective}\nWhat is the weather in Paris?` }];
    const first = await collectStream(await client.chat.completions.create({ model, stream: true, tools: [weatherTool], messages }));
    assert.equal(first.finish, 'tool_calls');
    assertWeatherCall(first.toolCalls[0]);

    messages.push({ role: 'assistant', content: first.content || null, tool_calls: first.toolCalls });
    messages.push({ role: 'tool', tool_call_id: first.toolCalls[0].id, content: toolResult });
    const second = await collectStream(await client.chat.completions.create({ model, stream: true, tools: [weatherTool], messages }));
    assert.equal(second.finish, 'stop');
    assert.deepEqual(second.toolCalls, []);
    assert.match(second.content, /weather-result: sunny, 22 C in Paris/);
  });

  test('a malformed first tool call is corrected by a retry (non-streaming)', async () => {
    const { data: completion, response } = await client.chat.completions
      .create({
        model: MODELS.hermes,
        tools: [weatherTool],
        tool_choice: 'required',
        messages: [{ role: 'user', content: `${toolDirective} variant=fail_then_succeed\nWeather in Paris?` }],
      })
      .withResponse();
    assert.equal(completion.choices[0].finish_reason, 'tool_calls');
    assertWeatherCall(completion.choices[0].message.tool_calls[0]);
    assert.equal(response.headers.get('x-venice-proxy-tool-retries'), '1');
  });

  test('a tool call that never validates is a 502 invalid_tool_call', async () => {
    await assert.rejects(
      client.chat.completions.create({
        model: MODELS.qwen,
        tools: [weatherTool],
        messages: [{ role: 'user', content: `${toolDirective} variant=always_malformed\nWeather in Paris?` }],
      }),
      (err) => {
        assert.equal(err.status, 502);
        assert.equal(err.code, 'invalid_tool_call');
        assert.equal(err.type, 'proxy_tool_call_error');
        return true;
      },
    );
  });
});
