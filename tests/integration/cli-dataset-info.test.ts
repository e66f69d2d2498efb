/** `hamstudio dataset info` as users run it (a child process through bin/hamstudio.mjs) and in-process for JSON. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetSummary } from '../../core/cli/commands/dataset-info.ts';
import { main } from '../../core/cli/main.ts';
import { npyToFloat64, readNpy } from '../../core/io/npy.ts';
import { datasetPath } from '../helpers/datasets.ts';

const BIN = fileURLToPath(new URL('../../bin/hamstudio.mjs', import.meta.url));
const ETHANOL = datasetPath('ethanol-pbe-def2svp');
const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('hamstudio dataset info', () => {
  it('reports ethanol: 200 structures of H, C, O with 72 orbitals, and exits 0', () => {
    const r = run('dataset', 'info', ETHANOL);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^format\s+matrix-stack$/m);
    expect(r.stdout).toMatch(/^structures\s+200$/m);
    expect(r.stdout).toMatch(/^elements\s+H, C, O; every structure C2H6O/m);
    expect(r.stdout).toMatch(/^orbitals\s+72 per structure$/m);
    expect(r.stdout).toMatch(/^file order\s+psi4/m);
    expect(r.stdout).toMatch(/^blocks\s+on-site 9, off-site 72 per structure/m);
    expect(r.stdout).toMatch(/^\s+C-C\s+d-d\s+on\s+400\s/m);
  });

  it('a folder that is no dataset exits 2 with one line on stderr and no stack trace', () => {
    const r = run('dataset', 'info', tmp);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('E_FORMAT');
    expect(lines[0]).toContain(tmp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--json gives the summary as one object; --cutoff changes the edge count', async () => {
    const outputs: string[] = [];
    const io = { out: (t: string) => outputs.push(t), err: (t: string) => outputs.push(`ERR ${t}`) };
    expect(await main(['dataset', 'info', ETHANOL, '--json', '--cutoff', '1.2'], io)).toBe(0);
    const s = JSON.parse(outputs[0]) as DatasetSummary;
    expect(s.structures).toBe(200);
    expect(s.elements).toEqual(['H', 'C', 'O']);
    expect(s.shells).toEqual({ H: [0, 0, 1], C: [0, 0, 0, 1, 1, 2], O: [0, 0, 0, 1, 1, 2] });
    expect(s.orbitals.min).toBe(72);
    expect(s.unit).toBe('hartree');
    // Brute force over every conformer: ordered pairs closer than 1.2 Å (C–H and O–H bonds).
    const pos = npyToFloat64(readNpy(path.join(ETHANOL, 'positions.npy')));
    const counts = Array.from({ length: 200 }, (_, k) => {
      let c = 0;
      for (let a = 0; a < 9; a++) {
        for (let b = 0; b < 9; b++) {
          const d = Math.hypot(...[0, 1, 2].map((x) => pos[(k * 9 + a) * 3 + x] - pos[(k * 9 + b) * 3 + x]));
          if (a !== b && d < 1.2) c++;
        }
      }
      return c;
    });
    expect(s.edges.cutoff).toBe(1.2);
    expect(s.edges.perStructure.min).toBe(Math.min(...counts));
    expect(s.edges.perStructure.total).toBe(counts.reduce((a, c) => a + c, 0));
    expect(s.statistics.shellPairs.length).toBeGreaterThan(40);
    expect(await main(['dataset', 'info', ETHANOL, '--cutoff', 'abc'], io)).toBe(2);
    expect(outputs.at(-1)).toMatch(/^ERR .*--cutoff must be a number/);
  });
});
