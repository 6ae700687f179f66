// Waiting on conditions, never on fixed delays: poll a check until it holds or a generous deadline passes.

/** Polls `check` every `everyMs` until it returns something truthy; throws naming `what` after `ms`. */
export async function until<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, ms: number, everyMs = 200): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${Math.round(ms / 1000)} s waiting for: ${what}`);
    await pause(everyMs);
  }
}

/** A poll interval (not a wait for correctness). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
