import { pino, type Logger } from 'pino';

export type { Logger };

// Belt and braces: code never logs these, but if an object carrying them slips into a log call, they are masked.
const REDACT = ['text', 'userId', 'payload', 'recipient', 'laneKey', 'dedupeKey'].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/**
 * Builds the root logger: pretty in a terminal, JSON otherwise.
 * Never log message text or platform user ids at info level; use `contactKey` hashes and event ids.
 */
export function createLogger(opts: { level: string; pretty: boolean }, destination?: pino.DestinationStream): Logger {
  const base = { level: opts.level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } };
  if (destination) return pino(base, destination);
  if (opts.pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  }
  return pino(base);
}
