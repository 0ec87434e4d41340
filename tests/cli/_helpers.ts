/**
 * Runs the `plugins` command line: in process through `main(args, io)` (fast; what nearly every
 * test uses), or as a subprocess the way a person does (`cliProcess`, for a few smoke tests).
 */
import { tree } from "../_helpers/fixtures.ts";
import { main } from "../../src/cli/main.ts";

const MAIN = new URL("../../src/cli/main.ts", import.meta.url).pathname;

/** What a run printed and returned. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of a run: the working directory and environment variables to set for it. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
}

// Runs are sequential within a test file, so setting the process's environment for the
// duration of one run and restoring it afterwards is safe.
async function withEnv<T>(env: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.keys(env).map((name) => [name, Deno.env.get(name)] as const);
  for (const [name, value] of Object.entries(env)) Deno.env.set(name, value);
  try {
    return await work();
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    }
  }
}

/** Runs `plugins ...args` in process, in `cwd`, colour off. */
export async function cli(args: string[], options: RunOptions = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const code = await withEnv(options.env ?? {}, () =>
    main(args, {
      out: (text) => stdout += text,
      err: (text) => stderr += text,
      colorOut: false,
      colorErr: false,
      cwd: options.cwd ?? Deno.cwd(),
    }));
  return { code, stdout, stderr };
}

/** Runs `deno run -A src/cli/main.ts ...args` in `cwd`, as a subprocess. */
export async function cliProcess(args: string[], options: RunOptions = {}): Promise<Run> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-lock", MAIN, ...args],
    cwd: options.cwd ?? Deno.cwd(),
    env: { NO_COLOR: "", ...options.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return { code: output.code, stdout: decode(output.stdout), stderr: decode(output.stderr) };
}

/** Parses a run's stdout as JSON. */
export function parsed<T = Record<string, unknown>>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`Not JSON (exit ${run.code}):\n${run.stdout}\n--- stderr ---\n${run.stderr}`);
  }
}

/**
 * A project with a deno.json plugin map of four plugins: `alpha` (fine; `chat` at priority 5,
 * one implementation pointing at a missing export), `beta` (a lower-priority `chat`, a disabled
 * `off`), `broken` (a typo at line 4) and `old` (requires the host at >=2).
 */
export function project(extra: Record<string, string> = {}) {
  return tree({
    "deno.json": JSON.stringify({
      name: "bench",
      version: "1.0.0",
      plugins: {
        alpha: "./alpha/registry.yaml",
        beta: "./beta/registry.yaml",
        broken: "./broken/registry.yaml",
        old: "./old/registry.yaml",
      },
    }),
    "alpha/registry.yaml": `plugin:
  name: alpha
  version: 1.2.0
  description: The first plugin
  author: Ada
endpoint:
  chat:
    class: ./chat.ts#Chat
    description: Chat endpoint
    priority: 5
    config_schema:
      url: {type: string, required: true, env_var: CHAT_URL, description: Where to send}
      retries: {type: integer, default: 3}
  ghost: ./chat.ts#Nope
phase_hook:
  log: ./chat.ts
`,
    "alpha/chat.ts":
      "export class Chat {}\nexport default function log(): string {\n  return 'log';\n}\n",
    "beta/registry.yaml": `plugin: {name: beta, version: 0.3.0}
endpoint:
  chat:
    class: ./chat.ts#Chat
    description: Another chat
    priority: 1
  off:
    class: ./chat.ts#Chat
    enabled: false
`,
    "beta/chat.ts": "export class Chat {}\n",
    "broken/registry.yaml": `plugin: {name: broken, version: 1.0.0}
endpoint:
  bad:
    clas: ./bad.ts
`,
    "old/registry.yaml": `plugin:
  name: old
  version: 0.1.0
  requires: {bench: ">=2.0.0"}
endpoint:
  legacy: ./legacy.ts
`,
    ...extra,
  });
}
