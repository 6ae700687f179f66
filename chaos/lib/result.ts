/** One row of the chaos table. */
export interface ScenarioResult {
  id: string;
  fault: string;
  database: 'postgres' | 'embedded' | '-';
  pass: boolean;
  /** The figures, in the order printed. */
  figures: Record<string, number | string>;
  /** Longer figures kept in the JSON file only. */
  details: Record<string, unknown>;
  /** Why it failed (each broken expectation), empty when it passed. */
  failures: string[];
  seconds: number;
}

/** Collects figures and broken expectations while a scenario runs. */
export class Scorecard {
  readonly figures: Record<string, number | string> = {};
  readonly failures: string[] = [];
  readonly details: Record<string, unknown> = {};
  private readonly started = Date.now();

  constructor(
    readonly id: string,
    readonly fault: string,
    readonly database: ScenarioResult['database'],
  ) {}

  set(name: string, value: number | string): void {
    this.figures[name] = typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 100) / 100 : value;
  }

  /** A figure for the JSON file only (too long for the table). */
  detail(name: string, value: unknown): void {
    this.details[name] = value;
  }

  /** Records a broken expectation unless `ok`. */
  expect(ok: boolean, what: string): void {
    if (!ok) this.failures.push(what);
  }

  result(): ScenarioResult {
    return { id: this.id, fault: this.fault, database: this.database, pass: this.failures.length === 0, figures: this.figures, details: this.details, failures: this.failures, seconds: Math.round((Date.now() - this.started) / 1000) };
  }
}
