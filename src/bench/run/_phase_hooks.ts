// A phase's hooks: called in order; one that throws (or rejects) is reported, never stops the
// phase. onRequestComplete is not awaited before the next request; its promises are settled
// before onPhaseComplete.

import { oneLine } from "../_one_line.ts";
import type {
  HookFailure,
  PhaseHook,
  PhaseName,
  PhaseStart,
  PhaseSummary,
  RequestRecord,
} from "../types.ts";

/** An instance with the name it was selected by. */
interface NamedHook {
  readonly name: string;
  readonly instance: PhaseHook;
}

/** Calls a phase's hooks and reports the ones that throw. */
export class PhaseHooks {
  readonly #hooks: readonly NamedHook[];
  readonly #phase: PhaseName;
  readonly #onFailure: (failure: HookFailure) => void;
  readonly #pending = new Set<Promise<void>>();

  /**
   * @param hooks The hooks, in order.
   * @param phase The phase they are told about.
   * @param onFailure Receives every hook that throws.
   */
  constructor(
    hooks: readonly NamedHook[],
    phase: PhaseName,
    onFailure: (failure: HookFailure) => void,
  ) {
    this.#hooks = hooks;
    this.#phase = phase;
    this.#onFailure = onFailure;
  }

  /** `onPhaseStart` of each hook, one after another. */
  start(start: PhaseStart): Promise<void> {
    return this.#each("onPhaseStart", start);
  }

  /** `onRequestComplete` of each hook, not awaited. */
  request(record: RequestRecord): void {
    for (const { name, instance } of this.#hooks) {
      if (instance.onRequestComplete === undefined) continue;
      try {
        const r = instance.onRequestComplete(record);
        if (r instanceof Promise) {
          const settled: Promise<void> = r.then(
            () => void this.#pending.delete(settled),
            (e) => {
              this.#pending.delete(settled);
              this.#onFailure(this.#failure(name, "onRequestComplete", e));
            },
          );
          this.#pending.add(settled);
        }
      } catch (e) {
        this.#onFailure(this.#failure(name, "onRequestComplete", e));
      }
    }
  }

  /** Waits for the pending `onRequestComplete` calls, then `onPhaseComplete` of each hook. */
  async complete(summary: PhaseSummary): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
    await this.#each("onPhaseComplete", summary);
  }

  async #each<E extends "onPhaseStart" | "onPhaseComplete">(
    event: E,
    argument: Parameters<NonNullable<PhaseHook[E]>>[0],
  ): Promise<void> {
    for (const { name, instance } of this.#hooks) {
      const method = instance[event] as ((arg: typeof argument) => unknown) | undefined;
      if (method === undefined) continue;
      try {
        await method.call(instance, argument);
      } catch (e) {
        this.#onFailure(this.#failure(name, event, e));
      }
    }
  }

  #failure(hook: string, event: HookFailure["event"], error: unknown): HookFailure {
    return { hook, event, phase: this.#phase, message: oneLine(error) };
  }
}
