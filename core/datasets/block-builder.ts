/**
 * Collects the (i, j, R) blocks a crystal reader finds, in any order, and packs them into the flat SampleBlocks
 * layout sorted by (i, j, R1, R2, R3), so that the same data always give the same sample whatever the file order.
 */
import type { SampleBlocks } from './sample.ts';

interface PendingBlock {
  i: number;
  j: number;
  R: [number, number, number];
  H: Float64Array;
  S?: Float64Array;
}

export class BlockListBuilder {
  private readonly pending: PendingBlock[] = [];

  /** Add one block (entries row-major, already in wiki order); `S` must be given for all blocks or none. */
  add(i: number, j: number, R: [number, number, number], H: Float64Array, S?: Float64Array): void {
    this.pending.push({ i, j, R, H, S });
  }

  get size(): number {
    return this.pending.length;
  }

  build(): SampleBlocks {
    const list = [...this.pending].sort((a, b) =>
      a.i - b.i || a.j - b.j || a.R[0] - b.R[0] || a.R[1] - b.R[1] || a.R[2] - b.R[2]);
    const nBlocks = list.length;
    const offsets = new Int32Array(nBlocks + 1);
    list.forEach((blk, b) => {
      offsets[b + 1] = offsets[b] + blk.H.length;
    });
    const total = offsets[nBlocks];
    const withS = nBlocks > 0 && list.every((blk) => blk.S !== undefined);
    const out: SampleBlocks = {
      i: Int32Array.from(list, (blk) => blk.i),
      j: Int32Array.from(list, (blk) => blk.j),
      R: Int32Array.from(list.flatMap((blk) => blk.R)),
      offsets,
      H: new Float64Array(total),
      S: withS ? new Float64Array(total) : undefined,
    };
    list.forEach((blk, b) => {
      out.H.set(blk.H, offsets[b]);
      if (withS && blk.S) out.S?.set(blk.S, offsets[b]);
    });
    return out;
  }
}
