import { describe, expect, it } from 'vitest';
import { OutcomeBatcher } from '../../../src/bot/outcome-batcher.js';
import type { DeliveryResult } from '../../../src/store/outbox.repo.js';
import { eventually } from '../../helpers/channels.js';

const SENT: DeliveryResult = { status: 'sent', outcome: 'sent' };

/** A write the test holds open until it says so, recording each batch it was given. */
function heldWrite(lost: bigint[] = []) {
  const batches: bigint[][] = [];
  const open: (() => void)[] = [];
  return {
    batches,
    release: () => open.shift()?.(),
    write: (outcomes: { id: bigint }[]) => {
      batches.push(outcomes.map((o) => o.id));
      return new Promise<bigint[]>((resolve) => open.push(() => resolve(outcomes.map((o) => o.id).filter((id) => !lost.includes(id)))));
    },
  };
}

describe('OutcomeBatcher', () => {
  it('writes a lone outcome at once, and the outcomes that finish meanwhile together in the next write', async () => {
    const w = heldWrite();
    const batcher = new OutcomeBatcher(w.write);
    const first = batcher.record(1n, SENT);
    await eventually(() => w.batches.length === 1, 'the first write');
    const rest = [2n, 3n, 4n].map((id) => batcher.record(id, SENT));
    w.release();
    expect(await first).toBe(true);
    await eventually(() => w.batches.length === 2, 'the second write');
    w.release();
    expect(await Promise.all(rest)).toEqual([true, true, true]);
    expect(w.batches).toEqual([[1n], [2n, 3n, 4n]]);
  });

  it('tells each sender whether its own row was recorded', async () => {
    const w = heldWrite([2n]);
    const batcher = new OutcomeBatcher(w.write);
    const outcomes = [1n, 2n, 3n].map((id) => batcher.record(id, SENT));
    await eventually(() => w.batches.length === 1, 'the write');
    w.release();
    expect(await Promise.all(outcomes)).toEqual([true, false, true]);
  });

  it("rejects the senders of a failed write with its error, and writes later outcomes anyway", async () => {
    let calls = 0;
    const batcher = new OutcomeBatcher(async (outcomes) => {
      calls++;
      if (calls === 1) throw new Error('database down');
      return outcomes.map((o) => o.id);
    });
    await expect(batcher.record(1n, SENT)).rejects.toThrow('database down');
    expect(await batcher.record(2n, SENT)).toBe(true);
  });
});
