import { normalizeReceiptCode } from '../../content/receipt-code.js';
import type { PledgeRecord, PledgeRepo } from '../../store/pledge.repo.js';

/** What a receipt code stands for: a valid or withdrawn pledge, or nothing (code null: not even well-formed). */
export type ReceiptCheck = { status: 'valid' | 'withdrawn'; code: string; pledge: PledgeRecord } | { status: 'unknown'; code: string | null };

/** Looks up a receipt code as typed or read from a URL ("ck 7k2q9xmd" finds CK-7K2Q-9XMD). */
export async function verifyReceipt(repo: PledgeRepo, raw: string): Promise<ReceiptCheck> {
  const code = normalizeReceiptCode(raw);
  const pledge = code ? await repo.findByCode(code) : null;
  if (!code || !pledge) return { status: 'unknown', code };
  return { status: pledge.withdrawnAt ? 'withdrawn' : 'valid', code, pledge };
}
