import { ConfigError, type PluginMap } from "../config/mod.ts";
import {
  decodeSource,
  readLocalSource,
  resolvePluginSpecifier,
  SourceError,
  toUrl,
} from "../sources/core.ts";
import { checkLock, type Lock } from "../trust/core.ts";
import { importLazily } from "../_util/import_lazily.ts";

// Fetching over https and from JSR (and hashing) is loaded for the first manifest that needs it.
function loadSource(...args: Parameters<typeof import("../sources/mod.ts").loadSource>) {
  return importLazily<typeof import("../sources/mod.ts")>(
    new URL("../sources/mod.ts", import.meta.url),
  ).then((sources) => sources.loadSource(...args));
}
import { positionInMap } from "./_map_positions.ts";
import type { PluginRecord } from "./_plugin_record.ts";
import type { RegistryOptions } from "./types.ts";

type Job = { record: PluginRecord; resolve?: () => URL };

// The plugins to read: the host's built-ins first, then the map in order. A map entry that
// takes the host's own name is refused here: it would hide the built-ins' qualified names.
function plugins(options: RegistryOptions, map: PluginMap | undefined): Job[] {
  const record = (name: string, specifier: string, builtin: boolean, order: number) => ({
    name,
    specifier,
    builtin,
    order,
    url: specifier,
    status: "broken" as const,
    candidates: [],
    diagnostics: [],
  });
  const jobs: Job[] = [];
  const { builtins, host } = options;
  if (builtins !== undefined) {
    jobs.push({
      record: record(host.name, String(builtins), true, 0),
      resolve: () => toUrl(builtins),
    });
  }
  for (const [i, entry] of (map?.plugins ?? []).entries()) {
    const job: Job = { record: record(entry.name, entry.specifier, false, i + 1) };
    if (entry.name === host.name && builtins !== undefined) {
      job.record.diagnostics.push({
        code: "duplicate_plugin",
        severity: "error",
        plugin: entry.name,
        url: map!.url,
        path: `plugins.${entry.name}`,
        message:
          `The plugin name "${entry.name}" is the host's own (its built-ins); choose another`,
      });
    } else {
      job.resolve = () => resolvePluginSpecifier(entry.specifier, map!);
    }
    jobs.push(job);
  }
  return jobs;
}

// A JSR file URL is `<registry>/@scope/name/<version>/<path>`: its root is up to the version.
function packageRoot(url: string, version: string): string {
  const at = url.indexOf(`/${version}/`);
  return at < 0 ? new URL("./", url).href : url.slice(0, at + version.length + 2);
}

async function load(
  { record, resolve }: Job,
  options: RegistryOptions,
  lock: Lock | undefined,
): Promise<PluginRecord> {
  if (resolve === undefined) return record;
  const verdict = record.builtin
    ? { ok: true as const }
    : checkLock(lock, record, !!options.frozen);
  if (!verdict.ok) {
    const { code, message } = verdict;
    record.diagnostics.push({
      code,
      severity: "error",
      plugin: record.name,
      url: record.url,
      message,
    });
    return record;
  }
  const pin = verdict.pin;
  try {
    let url = resolve();
    // A pinned network or jsr: manifest is read from its locked URL: the exact jsr: version,
    // the redirect target. Local files are found through the map, so a project can move.
    if (pin !== undefined && url.protocol !== "file:") url = new URL(pin.url);
    record.url = url.href;
    if (url.protocol === "file:" && lock === undefined && !options.integrity) {
      // Nothing to check the bytes against: kept undecoded (see decodeSources).
      record.bytes = readLocalSource(
        url,
        options.limits?.source ? { limits: options.limits.source } : {},
      );
      return record;
    }
    const source = await loadSource(url, {
      ...(options.limits?.source ? { limits: options.limits.source } : {}),
      ...(options.jsrUrl ? { jsrUrl: options.jsrUrl } : {}),
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      ...(pin !== undefined ? { expect: pin.manifest } : {}),
      integrity: options.integrity === true || lock !== undefined,
    });
    record.source = source;
    record.url = source.url;
    const jsrVersion = source.jsr?.version ?? pin?.jsrVersion;
    if (jsrVersion !== undefined) {
      record.jsrVersion = jsrVersion;
      record.packageRoot = packageRoot(source.url, jsrVersion);
    }
  } catch (error) {
    const base = { severity: "error" as const, plugin: record.name, url: record.url };
    if (error instanceof SourceError) {
      record.diagnostics.push({ ...base, code: error.code, message: error.reason });
    } else if (error instanceof ConfigError) {
      // The specifier cannot be resolved through the map's "imports": the problem is in the
      // map document, at this plugin's entry.
      for (const issue of error.issues) {
        record.diagnostics.push({
          ...base,
          code: "invalid_map",
          ...issue,
          url: error.source,
          path: `plugins.${record.name}`,
        });
      }
    } else throw error;
  }
  return record;
}

/**
 * Stage 1, load: which plugins there are (the built-ins, then the map in order), and each
 * manifest's text, read through the lock when there is one. Concurrent; a plugin that cannot be
 * read gets diagnostics and no source.
 */
export async function loadSources(
  options: RegistryOptions,
  map: PluginMap | undefined,
  lock: Lock | undefined,
): Promise<PluginRecord[]> {
  const records = await Promise.all(plugins(options, map).map((job) => load(job, options, lock)));
  // A problem at a map entry points at the entry's line in the map document, when there is one.
  for (const diagnostic of records.flatMap((record) => record.diagnostics)) {
    if (map !== undefined && diagnostic.url === map.url && diagnostic.path !== undefined) {
      Object.assign(diagnostic, await positionInMap(map, diagnostic.path));
    }
  }
  return records;
}

/**
 * The texts of the manifests stage 1 kept as bytes, for the stages of a miss: each decoded as
 * `loadSource` would have (a manifest that is not UTF-8 gets its `not_text` diagnostic here). A
 * discovery that keeps its finished index never decodes them: its key holds the bytes.
 */
export function decodeSources(records: readonly PluginRecord[]): void {
  for (const record of records) {
    const { bytes } = record;
    if (bytes === undefined) continue;
    delete record.bytes;
    try {
      record.source = {
        specifier: record.url,
        url: record.url,
        text: decodeSource(bytes, record.url),
      };
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      record.diagnostics.push({
        severity: "error",
        plugin: record.name,
        url: record.url,
        code: error.code,
        message: error.reason,
      });
    }
  }
}
