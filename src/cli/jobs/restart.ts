// Restart strategies of `tsstream run`, as Flink 1.20 has them: `none`, `fixed-delay` (n attempts,
// a fixed delay) and `exponential-delay` (delays growing from an initial backoff by a multiplier up
// to a maximum, with jitter; back to the initial backoff after the job has run without failing
// for the reset threshold). With no strategy set, a job with checkpointing on restarts with
// exponential-delay (Flink's default since 1.19) and a job without checkpointing does not restart.
import { parseDuration } from '../../common/options.js';

export interface RestartPolicy {
  /** How the strategy is named in the log ("exponential-delay, the default with checkpointing on"). */
  name: string;
  /** The delay before restart number `attempt` (1-based), or undefined when no restart is left. */
  delayBefore(attempt: number): number | undefined;
  /** Attempts allowed in all (Infinity for exponential-delay's default). */
  attempts: number;
  /** Whether the backoff goes back to its start after a job ran `ranMs` without failing. */
  resetsAfter(ranMs: number): boolean;
}

const num = (v: string | undefined, d: number) => (v === undefined || v.trim() === '' ? d : Number(v));
const dur = (v: string | undefined, d: number) => (v === undefined ? d : (parseDuration(v) ?? d));

/** The restart policy that the session's configuration asks for. */
export function restartPolicy(cfg: ReadonlyMap<string, string>, random: () => number = Math.random): RestartPolicy {
  const set = cfg.get('restart-strategy.type') ?? cfg.get('restart-strategy');
  const checkpointing = (parseDuration(cfg.get('execution.checkpointing.interval') ?? '') ?? 0) > 0;
  const strategy = (set ?? (checkpointing ? 'exponential-delay' : 'none')).trim().toLowerCase().replace(/-/g, '');
  if (strategy === 'fixeddelay') {
    const attempts = num(cfg.get('restart-strategy.fixed-delay.attempts'), 3);
    const delay = dur(cfg.get('restart-strategy.fixed-delay.delay'), 1000);
    return { name: 'fixed-delay', attempts, delayBefore: (n) => (n <= attempts ? delay : undefined), resetsAfter: () => false };
  }
  if (strategy === 'exponentialdelay') {
    const initial = dur(cfg.get('restart-strategy.exponential-delay.initial-backoff'), 1000);
    const max = dur(cfg.get('restart-strategy.exponential-delay.max-backoff'), 60_000);
    const multiplier = num(cfg.get('restart-strategy.exponential-delay.backoff-multiplier'), 1.5);
    const jitter = num(cfg.get('restart-strategy.exponential-delay.jitter-factor'), 0.1);
    const reset = dur(cfg.get('restart-strategy.exponential-delay.reset-backoff-threshold'), 3_600_000);
    const raw = cfg.get('restart-strategy.exponential-delay.attempts-before-reset-backoff');
    const attempts = raw === undefined ? Infinity : num(raw, Infinity);
    return {
      name: set === undefined ? 'exponential-delay, the default with checkpointing on' : 'exponential-delay',
      attempts,
      delayBefore(n) {
        if (n > attempts) return undefined;
        const base = Math.min(max, initial * Math.pow(multiplier, n - 1));
        const j = base * jitter * (2 * random() - 1);
        return Math.max(0, Math.round(Math.min(max, base + j)));
      },
      resetsAfter: (ranMs) => ranMs >= reset,
    };
  }
  return { name: 'none', attempts: 0, delayBefore: () => undefined, resetsAfter: () => false };
}
