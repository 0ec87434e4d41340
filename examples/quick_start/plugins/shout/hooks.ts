// A class is created with `new Export(config, context)`, a function with `await Export(config, context)`.
export class Shout {
  constructor(readonly config: { prefix: string; repeat: number }) {}
  onPhaseStart(phase: string): string {
    return `${this.config.prefix} ${phase.toUpperCase()}${"!".repeat(this.config.repeat)}`;
  }
}

export function Whisper() {
  return { onPhaseStart: (phase: string) => `(${phase})` };
}

export class Legacy {
  onPhaseStart(phase: string): string {
    return phase;
  }
}
