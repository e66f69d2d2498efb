/**
 * Target statistics for normalisation (DESIGN.md §5: the network predicts normalised values per element pair and
 * shell pair) and for the TraceGrad trace labels (‖block‖²_F). Two groupings:
 *
 * - shell pairs: every sub-block between a shell of l_a on atom i and a shell of l_b on atom j, grouped by
 *   (Z_i, Z_j, l_a, l_b, on-site/off-site);
 * - blocks: every whole atom-pair block, grouped by (Z_i, Z_j, on-site/off-site).
 *
 * For each group: how many (sub-)blocks, and count / mean / standard deviation of their entries and of their
 * squared Frobenius norms. Groups are ordered pairs as stored; since readers keep both (i, j, R) and (j, i, −R),
 * the group (Z_j, Z_i, l_b, l_a) holds the transposed sub-blocks and has identical numbers. Accumulation uses
 * Welford's update, stable for the 10⁶–10⁸ entries of a dataset.
 */
import type { EnergyUnit } from '../contracts/units.ts';
import { isOnsite, type HamiltonianSample, type MatrixName } from './sample.ts';

export interface Moments {
  count: number;
  mean: number;
  /** Population standard deviation (divides by count). */
  std: number;
}

export interface ShellPairStatistics {
  zi: number;
  zj: number;
  la: number;
  lb: number;
  onsite: boolean;
  /** Sub-blocks in the group. */
  blocks: number;
  entries: Moments;
  /** ‖sub-block‖²_F over the sub-blocks. */
  frobenius2: Moments;
}

export interface BlockStatistics {
  zi: number;
  zj: number;
  onsite: boolean;
  blocks: number;
  entries: Moments;
  frobenius2: Moments;
}

export interface DatasetStatistics {
  matrix: MatrixName;
  /** Unit of the entries (squared for frobenius2); S is dimensionless. */
  unit: EnergyUnit | 'dimensionless';
  samples: number;
  shellPairs: ShellPairStatistics[];
  blocks: BlockStatistics[];
}

class Welford {
  count = 0;
  private mean = 0;
  private m2 = 0;

  add(x: number): void {
    this.count++;
    const d = x - this.mean;
    this.mean += d / this.count;
    this.m2 += d * (x - this.mean);
  }

  moments(): Moments {
    return { count: this.count, mean: this.mean, std: this.count > 0 ? Math.sqrt(this.m2 / this.count) : 0 };
  }
}

interface Group {
  blocks: number;
  entries: Welford;
  frobenius2: Welford;
}

function group(map: Map<string, Group>, key: string): Group {
  let g = map.get(key);
  if (!g) map.set(key, (g = { blocks: 0, entries: new Welford(), frobenius2: new Welford() }));
  return g;
}

/** Statistics of H (default) or S over `samples`; samples without S are skipped for S. */
export function datasetStatistics(samples: Iterable<HamiltonianSample>, matrix: MatrixName = 'H'): DatasetStatistics {
  const pairs = new Map<string, Group>();
  const whole = new Map<string, Group>();
  let unit: EnergyUnit | 'dimensionless' = 'dimensionless';
  let count = 0;
  for (const s of samples) {
    const data = matrix === 'H' ? s.blocks.H : s.blocks.S;
    if (!data) continue;
    count++;
    if (matrix === 'H') unit = s.unit;
    // Per atom: orbital offset of each shell within the atom's block.
    const shellStarts = s.atomShells.map((ls) => {
      const starts = [0];
      for (const l of ls) starts.push(starts[starts.length - 1] + 2 * l + 1);
      return starts;
    });
    const { i, j, offsets } = s.blocks;
    const Z = s.structure.numbers;
    // The groups of one block depend only on (Z_i, shells_i, Z_j, shells_j, on-site): look them up once per kind.
    const kinds = new Map<string, { whole: Group; pairs: Group[][] }>();
    for (let b = 0; b < i.length; b++) {
      const onsite = isOnsite(s.blocks, b);
      const ai = i[b];
      const aj = j[b];
      const lsI = s.atomShells[ai];
      const lsJ = s.atomShells[aj];
      const nc = shellStarts[aj][lsJ.length];
      const base = offsets[b];
      const kindKey = `${Z[ai]}:${lsI.join()}|${Z[aj]}:${lsJ.join()}|${onsite}`;
      let kind = kinds.get(kindKey);
      if (!kind) {
        kind = {
          whole: group(whole, `${Z[ai]},${Z[aj]},${onsite}`),
          pairs: lsI.map((la) => lsJ.map((lb) => group(pairs, `${Z[ai]},${Z[aj]},${la},${lb},${onsite}`))),
        };
        kinds.set(kindKey, kind);
      }
      const wg = kind.whole;
      wg.blocks++;
      let blockNorm = 0;
      for (let sa = 0; sa < lsI.length; sa++) {
        for (let sb = 0; sb < lsJ.length; sb++) {
          const g = kind.pairs[sa][sb];
          g.blocks++;
          let norm = 0;
          for (let r = shellStarts[ai][sa]; r < shellStarts[ai][sa + 1]; r++) {
            for (let c = shellStarts[aj][sb]; c < shellStarts[aj][sb + 1]; c++) {
              const x = data[base + r * nc + c];
              g.entries.add(x);
              wg.entries.add(x);
              norm += x * x;
            }
          }
          g.frobenius2.add(norm);
          blockNorm += norm;
        }
      }
      wg.frobenius2.add(blockNorm);
    }
  }
  const unpack = (key: string) => key.split(',').map((v) => (v === 'true' ? 1 : v === 'false' ? 0 : Number(v)));
  const shellPairs = [...pairs].map(([key, g]) => {
    const [zi, zj, la, lb, on] = unpack(key);
    return { zi, zj, la, lb, onsite: on === 1, blocks: g.blocks, entries: g.entries.moments(), frobenius2: g.frobenius2.moments() };
  }).sort((a, b) => a.zi - b.zi || a.zj - b.zj || Number(b.onsite) - Number(a.onsite) || a.la - b.la || a.lb - b.lb);
  const blocks = [...whole].map(([key, g]) => {
    const [zi, zj, on] = unpack(key);
    return { zi, zj, onsite: on === 1, blocks: g.blocks, entries: g.entries.moments(), frobenius2: g.frobenius2.moments() };
  }).sort((a, b) => a.zi - b.zi || a.zj - b.zj || Number(b.onsite) - Number(a.onsite));
  return { matrix, unit, samples: count, shellPairs, blocks };
}
