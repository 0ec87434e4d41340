/** The host's built-in phase hook. */
export class Announce {
  constructor(readonly config: { prefix: string }) {}
  onPhaseStart(phase: string): string {
    return `${this.config.prefix} ${phase}`;
  }
}
