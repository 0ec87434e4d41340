import type { Diagnostic } from "./diagnostic.ts";
import type { NameIndex, RankedCandidate } from "./_plugin_record.ts";
import type { Candidate } from "./types.ts";

// Usable first; a plugin beats a built-in; higher priority; earlier in the plugin map.
function rank(a: RankedCandidate, b: RankedCandidate): number {
  const usable = (c: Candidate) => (c.status === "selected" ? 0 : 1);
  return usable(a) - usable(b) ||
    Number(a.implementation.builtin) - Number(b.implementation.builtin) ||
    b.implementation.priority - a.implementation.priority ||
    a.order - b.order;
}

function describeWin(winner: Candidate, runnerUp: Candidate | undefined): string {
  if (runnerUp === undefined || runnerUp.status !== "selected") return "The only usable candidate";
  const w = winner.implementation;
  const r = runnerUp.implementation;
  if (!w.builtin && r.builtin) return "A plugin beats a built-in of the same name";
  if (w.priority !== r.priority) return `Highest priority (${w.priority})`;
  return `Same priority as "${r.qualifiedName}" (${w.priority}); first in the plugin map`;
}

function describeLoss(loser: Candidate, winner: Candidate): string {
  const w = winner.implementation;
  const l = loser.implementation;
  if (!w.builtin && l.builtin) {
    return `Shadowed by "${w.qualifiedName}": a plugin beats a built-in of the same name`;
  }
  if (w.priority !== l.priority) {
    return `Shadowed by "${w.qualifiedName}": priority ${w.priority} beats ${l.priority}`;
  }
  return `Shadowed by "${w.qualifiedName}": same priority (${l.priority}), later in the plugin map`;
}

/**
 * Stage 6, precedence: for every name, the usable candidates are ranked (a plugin beats a
 * built-in, then the higher `priority`, then plugin map order); the first is selected, the
 * others are shadowed, each with the reason in a sentence. Returns a `priority_tie` warning
 * for each name two plugins provide at the same priority.
 */
export function decidePrecedence(index: NameIndex): Diagnostic[] {
  const ties: Diagnostic[] = [];
  for (const [category, names] of index) {
    for (const [name, candidates] of names) {
      candidates.sort(rank);
      const [winner, runnerUp] = candidates;
      if (winner?.status !== "selected") continue;
      winner.reason = describeWin(winner, runnerUp);
      for (const loser of candidates.slice(1)) {
        if (loser.status !== "selected") continue;
        loser.status = "shadowed";
        loser.reason = describeLoss(loser, winner);
      }
      const w = winner.implementation;
      const r = runnerUp?.implementation;
      if (
        runnerUp?.status === "shadowed" && r !== undefined && !w.builtin && !r.builtin &&
        r.priority === w.priority
      ) {
        ties.push({
          code: "priority_tie",
          severity: "warning",
          plugin: r.plugin,
          url: r.manifestUrl,
          path: `${category}.${name}`,
          message:
            `"${category}.${name}" is provided by "${w.plugin}" and "${r.plugin}" with the same priority ${w.priority}; "${w.plugin}" wins by plugin map order (set "priority" to choose)`,
        });
      }
    }
  }
  return ties;
}
