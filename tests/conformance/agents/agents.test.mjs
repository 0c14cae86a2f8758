// The real coding agents against the proxy and venice-sim: Codex CLI (`codex exec`, Responses
// API) and Claude Code (`claude -p`, Anthropic Messages API), each doing one full tool round
// offline. Run by scripts/agent-clients-test.sh, which installs the pinned CLIs from npm into a
// cache directory and passes it as VEP_AGENT_BIN_DIR; not part of ctest (the CLIs are ~650 MB).
//
// The round: the prompt's sim directive makes the model call the agent's shell tool with a
// printf whose output is a new directive (`sim:scenario=echo`) plus a marker line, so the second
// request — carrying the tool result — is answered with the marker. The test asserts the agent
// ran the command, printed a final answer with the marker, and sent exactly two chat requests,
// both encrypted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MODELS, simRequests, startStack } from '../clients/harness.mjs';

const binDir = process.env.VEP_AGENT_BIN_DIR;
const AGENT_TIMEOUT_MS = 90_000;
const MARKER = 'agent-tool-ok';
// JSON for the sim directive: no spaces allowed in a directive token, so the space is \u0020.
const printfCommand = String.raw`"printf\u0020'sim:scenario=echo\\n${MARKER}'"`;

// Runs `bin args` in `cwd` with `env`, stdin closed; resolves with {code, stdout, stderr}.
function run(bin, args, cwd, env) {
  return new Promise((resolve) => {
    const child = execFile(bin, args, { cwd, env, timeout: AGENT_TIMEOUT_MS, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (err.code ?? err.signal) : 0, stdout, stderr }),
    );
    child.stdin.end();
  });
}

function jsonLines(text) {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line));
}

describe('real coding agents, one tool round each', { timeout: 4 * AGENT_TIMEOUT_MS }, () => {
  let stack;
  let scratch;

  before(async () => {
    assert.ok(binDir, 'VEP_AGENT_BIN_DIR is not set: run scripts/agent-clients-test.sh');
    stack = await startStack({ deadlineMs: 3 * AGENT_TIMEOUT_MS });
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vep-agents-'));
  });
  after(async () => {
    await stack?.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  });

  async function chatRecordsSince(count) {
    return (await simRequests(stack)).filter((r) => r.path.endsWith('/chat/completions')).slice(count);
  }

  test('codex exec runs exec_command through the Responses API', async () => {
    const home = path.join(scratch, 'codex-home');
    const work = path.join(scratch, 'codex-work');
    fs.mkdirSync(home);
    fs.mkdirSync(work);
    // The README's provider block plus the switches that keep Codex offline.
    fs.writeFileSync(
      path.join(home, 'config.toml'),
      [
        `model = "${MODELS.glm}"`,
        'model_provider = "venice-e2ee-proxy"',
        'approval_policy = "never"',
        'sandbox_mode = "danger-full-access"',
        'check_for_update_on_startup = false',
        'web_search = "disabled"',
        '[model_providers.venice-e2ee-proxy]',
        'name = "venice-e2ee-proxy"',
        `base_url = "${stack.proxyBaseUrl}"`,
        'env_key = "PROXY_API_KEY"',
        'wire_api = "responses"',
        'request_max_retries = 0',
        'stream_max_retries = 0',
        '[analytics]',
        'enabled = false',
        '[feedback]',
        'enabled = false',
        '[otel]',
        'exporter = "none"',
        '[features]',
        ...['plugins', 'remote_plugin', 'plugin_sharing', 'apps', 'tool_suggest', 'multi_agent', 'goals'].map((f) => `${f} = false`),
        '',
      ].join('\n'),
    );
    const before = (await chatRecordsSince(0)).length;
    const prompt = `sim:scenario=tool tool=exec_command args={"cmd":${printfCommand}}\nRun the command.`;
    const r = await run(path.join(binDir, 'codex'), ['exec', '--skip-git-repo-check', '--json', prompt], work, {
      ...process.env,
      CODEX_HOME: home,
      PROXY_API_KEY: 'unused-by-the-proxy',
    });
    assert.equal(r.code, 0, `codex exited ${r.code}\n${r.stderr}\n${r.stdout}`);
    const items = jsonLines(r.stdout)
      .filter((e) => e.type === 'item.completed')
      .map((e) => e.item);
    const command = items.find((i) => i.type === 'command_execution');
    assert.ok(command, r.stdout);
    assert.equal(command.exit_code, 0);
    assert.equal(command.aggregated_output, `sim:scenario=echo\n${MARKER}`);
    const answer = items.filter((i) => i.type === 'agent_message').at(-1);
    assert.ok(answer, r.stdout);
    assert.match(answer.text, new RegExp(MARKER));
    const records = await chatRecordsSince(before);
    assert.equal(records.length, 2);
    assert.ok(records.every((rec) => rec.all_contents_ciphertext));
  });

  test('claude -p runs Bash through the Messages API', async () => {
    const config = path.join(scratch, 'claude-config');
    const work = path.join(scratch, 'claude-work');
    fs.mkdirSync(config);
    fs.mkdirSync(work);
    const before = (await chatRecordsSince(0)).length;
    const prompt = `sim:scenario=tool tool=Bash args={"command":${printfCommand},"description":"print"}\nRun the command.`;
    const r = await run(
      path.join(binDir, 'claude'),
      ['-p', prompt, '--allowedTools', 'Bash', '--model', MODELS.glm, '--output-format', 'stream-json', '--verbose'],
      work,
      {
        ...process.env,
        ANTHROPIC_BASE_URL: stack.proxyOrigin,
        ANTHROPIC_API_KEY: 'unused-by-the-proxy',
        CLAUDE_CONFIG_DIR: config,
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
        DISABLE_ERROR_REPORTING: '1',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
    );
    assert.equal(r.code, 0, `claude exited ${r.code}\n${r.stderr}\n${r.stdout}`);
    const events = jsonLines(r.stdout);
    const blocks = events.filter((e) => e.message?.content).flatMap((e) => e.message.content);
    const toolUse = blocks.find((b) => b.type === 'tool_use');
    assert.ok(toolUse, r.stdout);
    assert.equal(toolUse.name, 'Bash');
    const toolResult = blocks.find((b) => b.type === 'tool_result');
    assert.ok(toolResult, r.stdout);
    assert.equal(toolResult.is_error, false);
    assert.equal(toolResult.content, `sim:scenario=echo\n${MARKER}`);
    const result = events.find((e) => e.type === 'result');
    assert.equal(result?.subtype, 'success', r.stdout);
    assert.match(result.result, new RegExp(MARKER));
    const records = await chatRecordsSince(before);
    assert.equal(records.length, 2);
    assert.ok(records.every((rec) => rec.all_contents_ciphertext));
  });
});
