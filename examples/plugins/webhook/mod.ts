/**
 * A webhook phase hook for plugmap bench: list it in a benchmark file's plugin map and it POSTs
 * each phase's summary as JSON to a URL.
 *
 * ```yaml
 * plugins:
 *   map:
 *     webhook: jsr:@plugmap/webhook@^1/registry.yaml
 *   phase_hooks:
 *     - name: webhook
 *       config: { url: "${WEBHOOK_URL}" }
 * ```
 *
 * @example
 * ```ts
 * import { WebhookHook } from "./mod.ts";
 *
 * const hook = new WebhookHook({ url: "http://127.0.0.1:9/hook" });
 * if (hook.url.port !== "9") throw new Error("wrong");
 * ```
 *
 * @module
 */
export * from "./webhook.ts";
