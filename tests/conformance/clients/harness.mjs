// Starts venice-sim and venice-e2ee-proxy as child processes on 127.0.0.1 (both with port 0),
// optionally with client keys required (addClientKey() makes one with the proxy's `keys add`),
// reads their "listening on" lines, and always stops them again. Every test file calls
// startStack() once in before() and stack.stop() in after(); a hard deadline per stack kills both
// children and fails the file if a test hangs.
//
// Inputs (set by node_clients_test.cpp; defaults fit a manual run from the build tree `build/`):
//   VEP_PROXY_BIN     path of build/bin/venice-e2ee-proxy
//   VEP_SIM_BIN       path of build/bin/venice-sim
//   VEP_PROXY_CONFIG  path of config/demo-sim.toml
//   VEP_PLUGIN_DIR    optional plugin directory for both (default: their $ORIGIN-relative one)
//   NODE_EXTRA_CA_CERTS  tests/data/tls/ca.pem, so clients trust the proxy's test certificate
//                     when a stack is started with `tls: true`
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

const proxyBin = process.env.VEP_PROXY_BIN ?? path.join(repoRoot, 'build/bin/venice-e2ee-proxy');
const simBin = process.env.VEP_SIM_BIN ?? path.join(repoRoot, 'build/bin/venice-sim');
const proxyConfig = process.env.VEP_PROXY_CONFIG ?? path.join(repoRoot, 'config/demo-sim.toml');
const pluginDir = process.env.VEP_PLUGIN_DIR;
const tlsDir = path.join(repoRoot, 'tests/data/tls');

const SIM_API_KEY = 'sim-key';
export const MODELS = {
  hermes: 'e2ee-hermes-3-llama-3.1-405b-p',
  qwen: 'e2ee-qwen3-235b-a22b-p',
  glm: 'e2ee-glm-4-7-flash-p',
};

// Per-request bound for client calls; well below the per-file deadline.
export const REQUEST_TIMEOUT_MS = 20_000;
const STARTUP_TIMEOUT_MS = 20_000;
// Above the proxy's default server.shutdown_grace (10 s).
const STOP_GRACE_MS = 15_000;
const STACK_DEADLINE_MS = 60_000;
const LOG_TAIL_BYTES = 32 * 1024;

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.killNow();
});

// One child process: keeps the tail of its output for failure reports.
class ManagedProcess {
  constructor(name, file, args, env) {
    this.name = name;
    this.tail = '';
    this.proc = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.proc.on('exit', (code, signal) => {
        running.delete(this);
        resolve({ code, signal });
      });
    });
    this.spawnError = new Promise((resolve) => this.proc.on('error', resolve));
    running.add(this);
    for (const stream of [this.proc.stdout, this.proc.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (text) => this.#remember(text));
    }
  }

  #remember(text) {
    this.tail = (this.tail + text).slice(-LOG_TAIL_BYTES);
  }

  // Resolves with the first capture group of `pattern` once a stdout line matches it.
  waitForLine(pattern, timeoutMs) {
    return new Promise((resolve, reject) => {
      let pending = '';
      const done = (fn, value) => {
        clearTimeout(timer);
        this.proc.stdout.off('data', onData);
        fn(value);
      };
      const onData = (text) => {
        pending += text;
        let nl;
        while ((nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl).trim();
          pending = pending.slice(nl + 1);
          const m = pattern.exec(line);
          if (m) return done(resolve, m[1]);
        }
        if (pending.length > LOG_TAIL_BYTES) pending = pending.slice(-LOG_TAIL_BYTES);
      };
      const timer = setTimeout(
        () => done(reject, new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms\n${this.report()}`)),
        timeoutMs,
      );
      this.proc.stdout.on('data', onData);
      this.exited.then(({ code, signal }) =>
        done(reject, new Error(`${this.name} exited (code ${code}, signal ${signal}) before it listened\n${this.report()}`)),
      );
      this.spawnError.then((err) => done(reject, new Error(`${this.name}: cannot start ${this.proc.spawnfile}: ${err.message}`)));
    });
  }

  // SIGTERM (if still running), then SIGKILL after the grace period; resolves with the exit
  // status ({code, signal}), or null if the process never started.
  async stop() {
    if (this.proc.pid === undefined) return null;
    let timer = null;
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.proc.kill('SIGTERM');
      timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_GRACE_MS);
    }
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }

  killNow() {
    this.proc.kill('SIGKILL');
  }

  report() {
    return `--- last output of ${this.name} ---\n${this.tail}\n--- end of ${this.name} output ---`;
  }
}

// A running sim + proxy pair. `proxyBaseUrl` ends in /v1 (what OpenAI clients take as baseURL).
export class Stack {
  constructor(sim, proxy, simBaseUrl, proxyOrigin) {
    this.sim = sim;
    this.proxy = proxy;
    this.simBaseUrl = simBaseUrl;
    this.proxyOrigin = proxyOrigin;
    this.proxyBaseUrl = `${proxyOrigin}/v1`;
    this.deadline = null;
  }

  // Output tails of both children, for assertion messages.
  logs() {
    return `${this.proxy.report()}\n${this.sim.report()}`;
  }

  // Stops both and throws (with their output) unless both exited 0: a crash during the tests, a
  // sanitizer report at shutdown or a hang past SIGTERM fails the suite.
  async stop() {
    clearTimeout(this.deadline);
    const [proxyStatus, simStatus] = await Promise.all([this.proxy.stop(), this.sim.stop()]);
    const unclean = [
      ['venice-e2ee-proxy', proxyStatus],
      ['venice-sim', simStatus],
    ].filter(([, status]) => status && (status.code !== 0 || status.signal !== null));
    if (unclean.length > 0) {
      const what = unclean.map(([name, { code, signal }]) => `${name} exited with code ${code}, signal ${signal}`);
      throw new Error(`${what.join('; ')}\n${this.logs()}`);
    }
  }
}

// Starts venice-sim, then the proxy pointed at it. On any start-up failure both are stopped and
// the error (with their output) is thrown. The returned stack kills both and exits the process
// with status 1 if it is still running after `deadlineMs`.
// With `keysFile`, the proxy requires client keys from that file ([auth] keys_file); with `tls`,
// it serves HTTPS with tests/data/tls/server.pem (issued by tests/data/tls/ca.pem); `proxyEnv`
// adds environment variables (configuration overrides) to the proxy's.
export async function startStack({ deadlineMs = STACK_DEADLINE_MS, keysFile = null, tls = false, proxyEnv: extraEnv = {} } = {}) {
  const simArgs = ['--host', '127.0.0.1', '--port', '0', '--api-key', SIM_API_KEY];
  if (pluginDir) simArgs.push('--plugin-dir', pluginDir);
  const sim = new ManagedProcess('venice-sim', simBin, simArgs, process.env);
  let proxy = null;
  try {
    const simBaseUrl = await sim.waitForLine(/^venice-sim listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)$/, STARTUP_TIMEOUT_MS);
    const proxyEnv = {
      ...process.env,
      VENICE_E2EE_PROXY__SERVER__HOST: '127.0.0.1',
      VENICE_E2EE_PROXY__SERVER__PORT: '0',
      VENICE_E2EE_PROXY__VENICE__BASE_URL: simBaseUrl,
      VENICE_E2EE_PROXY__VENICE__API_KEY: SIM_API_KEY,
    };
    if (pluginDir) proxyEnv.VENICE_E2EE_PROXY__PLUGINS__DIRECTORIES = JSON.stringify([pluginDir]);
    if (keysFile) proxyEnv.VENICE_E2EE_PROXY__AUTH__KEYS_FILE = keysFile;
    if (tls) {
      proxyEnv.VENICE_E2EE_PROXY__SERVER__TLS_CERT = path.join(tlsDir, 'server.pem');
      proxyEnv.VENICE_E2EE_PROXY__SERVER__TLS_KEY = path.join(tlsDir, 'server.key');
    }
    Object.assign(proxyEnv, extraEnv);
    proxy = new ManagedProcess('venice-e2ee-proxy', proxyBin, [proxyConfig], proxyEnv);
    const proxyOrigin = await proxy.waitForLine(/^venice-e2ee-proxy listening on (https?:\/\/[^\s/]+)\/?$/, STARTUP_TIMEOUT_MS);
    const stack = new Stack(sim, proxy, simBaseUrl, proxyOrigin);
    stack.deadline = setTimeout(() => {
      process.stderr.write(`client conformance: stack still running after ${deadlineMs} ms; killing it\n${stack.logs()}\n`);
      proxy.killNow();
      sim.killNow();
      process.exit(1);
    }, deadlineMs);
    stack.deadline.unref();
    return stack;
  } catch (err) {
    await Promise.all([proxy?.stop(), sim.stop()]);
    throw err;
  }
}

// The sim's request log (GET /_sim/requests on its admin origin), to check what reached upstream.
export async function simRequests(stack) {
  const origin = new URL(stack.simBaseUrl).origin;
  const res = await fetch(`${origin}/_sim/requests`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  if (!res.ok) throw new Error(`/_sim/requests answered ${res.status}`);
  return res.json();
}

// Adds a client key to `keysFile` with `venice-e2ee-proxy keys add` and returns its secret.
export async function addClientKey(keysFile, id) {
  const { execFile } = await import('node:child_process');
  const out = await new Promise((resolve, reject) =>
    execFile(proxyBin, ['keys', 'add', '--keys-file', keysFile, '--id', id], (err, stdout, stderr) =>
      err ? reject(new Error(`keys add failed: ${stderr}`)) : resolve(stdout)));
  const secret = out.trim().split('\n').at(-1);
  if (!secret.startsWith('vep-')) throw new Error(`keys add printed no secret: ${out}`);
  return secret;
}
