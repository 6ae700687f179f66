/** An uploaded roster file as the console receives it. */
export interface RosterFile {
  bytes: Uint8Array;
  /** The name it was uploaded under; used in messages only (the content decides how it is read). */
  filename: string;
  mime?: string | undefined;
}

/** How much one import may hold. */
export interface RosterLimits {
  maxBytes: number;
  /** Pupils (non-blank data rows) per class. */
  maxRows: number;
}

/** 2 MB and 2 000 pupils: a class list is a few dozen KB; a bigger file is the wrong file (say the whole school's). */
export const ROSTER_LIMITS: RosterLimits = { maxBytes: 2 * 1024 * 1024, maxRows: 2000 };

/** `add`: new names join the roster, the rest stay. `replace`: the roster becomes the file (names not in it go). */
export type ImportMode = 'add' | 'replace';

/** Why a file cannot be read as a roster at all. */
export type FileProblemCode =
  | 'too_large'
  | 'empty'
  | 'not_a_spreadsheet'
  | 'legacy_xls'
  | 'ods'
  | 'bad_encoding'
  | 'mojibake'
  | 'unreadable'
  | 'no_header'
  | 'no_rows'
  | 'too_many_rows';

/** A file-level problem with the Vietnamese message to show. */
export interface FileProblem {
  problem: FileProblemCode;
  message: string;
}

/** One raw row of the first sheet: its number as a spreadsheet shows it (1 = first row), and its cells as text. */
export interface RawRow {
  row: number;
  cells: string[];
}
