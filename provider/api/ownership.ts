/**
 * Whether a credential found after an ambiguous create is this call's own: created no earlier
 * than the call's first attempt could have reached Vobiz, judged on Vobiz's clock (see
 * serverClock.ts). The client takes such a credential; any other match is someone else's.
 */
import type { Credential } from "../contract/wire";
import type { ClockOffset } from "../http/serverClock";

/** What the judgement rests on. */
export interface OwnershipEvidence {
  /** This machine's time just before the first attempt was sent (ms since epoch). */
  firstAttemptAt: number;
  /** The measured offset of Vobiz's clock (Vobiz minus local), if any answer carried a `Date`. */
  offset?: ClockOffset;
  /** Allowed difference between the clocks that stamp `Date` and `created_at`. */
  toleranceMs: number;
  /** Allowed skew between this machine and Vobiz when nothing measured it. */
  skewMs: number;
}

/** The verdict, with the reason (for the error message) when the credential is not ours. */
export type Ownership = { ours: true } | { ours: false; why: string };

/**
 * The first attempt left at `firstAttemptAt`; Vobiz's clock then read at least
 * `firstAttemptAt + offset.lowMs`, so our own credential's `created_at` is no earlier than that
 * (less the tolerance). A `created_at` in whole seconds counts as late as it could be (+999 ms).
 */
export function judgeOwnership(c: Credential, e: OwnershipEvidence): Ownership {
  const earliest = e.offset ? e.firstAttemptAt + e.offset.lowMs - e.toleranceMs : e.firstAttemptAt - e.skewMs;
  const basis = e.offset
    ? "on Vobiz's clock, measured from the Date headers of its answers"
    : `on this machine's clock, allowing ${e.skewMs} ms of skew (Vobiz sent no Date header)`;
  if (!c.createdAt) {
    return { ours: false, why: "it has no created_at, so nothing shows it was created by this run" };
  }
  const created = parseUtcTimestamp(c.createdAt);
  if (Number.isNaN(created)) return { ours: false, why: `its created_at '${c.createdAt}' is not a time` };
  const wholeSeconds = !/[.,]\d/.test(c.createdAt);
  if (created + (wholeSeconds ? 999 : 0) >= earliest) return { ours: true };
  return {
    ours: false,
    why:
      `it was created at ${c.createdAt}, before ${new Date(earliest).toISOString()}, the earliest ` +
      `moment this run's first attempt could have reached Vobiz ${basis}`,
  };
}

/**
 * Parses an API timestamp. The API's times are UTC; one without a zone designator
 * (`2030-01-01T00:00:00`, `2030-01-01 00:00:00.123456`) is read as UTC, not in the local zone.
 */
export function parseUtcTimestamp(text: string): number {
  const t = text.trim();
  const noZone = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(t);
  return Date.parse(noZone ? `${t.replace(" ", "T")}Z` : t);
}
