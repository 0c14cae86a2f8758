// Client keys through real clients: with [auth] keys_file set, the `openai` client and the Vercel
// AI SDK with a valid key are served (models, chat buffered and streamed), and without one or with
// a wrong one every route answers 401 in OpenAI shape (the SDKs raise their authentication error);
// the same over the TLS listener.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import OpenAI from 'openai';
import { MODELS, REQUEST_TIMEOUT_MS, addClientKey, startStack } from './harness.mjs';

describe('client keys: openai and ai SDK clients', { timeout: 60_000 }, () => {
  let stack;
  let dir;
  let secret;
  const client = (apiKey) =>
    new OpenAI({ baseURL: stack.proxyBaseUrl, apiKey, timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vep-client-keys-'));
    const keysFile = path.join(dir, 'keys.json');
    secret = await addClientKey(keysFile, 'node-client');
    stack = await startStack({ keysFile });
  });
  after(async () => {
    await stack?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a valid key is served on every route', async () => {
    const models = await client(secret).models.list();
    assert.ok(models.data.length > 0);
    const completion = await client(secret).chat.completions.create({
      model: MODELS.hermes,
      messages: [{ role: 'user', content: 'sim:scenario=echo prefix=Echo:\nwith a key' }],
    });
    assert.equal(completion.choices[0].message.content, 'Echo:with a key');
    const stream = await client(secret).chat.completions.create({
      model: MODELS.qwen,
      stream: true,
      messages: [{ role: 'user', content: 'sim:scenario=echo prefix=Echo:\nstreamed' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Echo:streamed');
    const provider = createOpenAICompatible({ name: 'venice-e2ee-proxy', baseURL: stack.proxyBaseUrl, apiKey: secret });
    const result = await generateText({
      model: provider(MODELS.glm),
      prompt: 'sim:scenario=echo prefix=Echo:\nai sdk',
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    assert.equal(result.text, 'Echo:ai sdk');
  });

  test('no key or a wrong key gets 401 on every route', async () => {
    for (const apiKey of ['vep-not-a-key', 'unused-by-the-proxy']) {
      await assert.rejects(client(apiKey).models.list(), (err) => {
        assert.ok(err instanceof OpenAI.AuthenticationError, `${err}`);
        assert.equal(err.status, 401);
        assert.equal(err.error?.code, 'invalid_api_key');
        return true;
      });
      await assert.rejects(
        client(apiKey).chat.completions.create({ model: MODELS.hermes, messages: [{ role: 'user', content: 'hi' }] }),
        (err) => err instanceof OpenAI.AuthenticationError && err.status === 401,
      );
    }
    const bare = await fetch(`${stack.proxyBaseUrl}/models`);
    assert.equal(bare.status, 401);
    assert.equal(bare.headers.get('x-venice-proxy-error-code'), 'missing_api_key');
    assert.equal((await fetch(`${stack.proxyOrigin}/healthz`)).status, 200);
  });
});

// The team-server setup: HTTPS (the clients trust the test CA through NODE_EXTRA_CA_CERTS) plus
// client keys. Plain HTTP to the same port gets no answer.
describe('client keys over TLS: openai and ai SDK clients', { timeout: 60_000 }, () => {
  let stack;
  let dir;
  let secret;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vep-client-tls-'));
    const keysFile = path.join(dir, 'keys.json');
    secret = await addClientKey(keysFile, 'tls-client');
    stack = await startStack({ keysFile, tls: true });
  });
  after(async () => {
    await stack?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('HTTPS with a key is served, streamed and buffered; plain HTTP is not', async () => {
    assert.match(stack.proxyBaseUrl, /^https:\/\//);
    const client = new OpenAI({ baseURL: stack.proxyBaseUrl, apiKey: secret, timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: MODELS.qwen,
      stream: true,
      messages: [{ role: 'user', content: 'sim:scenario=echo prefix=Echo:\nover tls' }],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    assert.equal(text, 'Echo:over tls');
    await assert.rejects(
      new OpenAI({ baseURL: stack.proxyBaseUrl, apiKey: 'vep-wrong', timeout: REQUEST_TIMEOUT_MS, maxRetries: 0 }).models.list(),
      (err) => err instanceof OpenAI.AuthenticationError && err.status === 401,
    );
    const provider = createOpenAICompatible({ name: 'venice-e2ee-proxy', baseURL: stack.proxyBaseUrl, apiKey: secret });
    const result = await generateText({
      model: provider(MODELS.glm),
      prompt: 'sim:scenario=echo prefix=Echo:\nai sdk over tls',
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    assert.equal(result.text, 'Echo:ai sdk over tls');
    await assert.rejects(fetch(stack.proxyOrigin.replace('https:', 'http:') + '/healthz', { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }));
  });
});
