import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectFormat, getFormat, STRUCTURE_FORMATS } from '../../../core/structure/formats/registry.ts';
import { parseStructures, readStructures } from '../../../core/structure/read.ts';
import { catchHamError, fixturePath, readFixture } from './helpers.ts';

const XYZ = '1\nplain comment\nH 0 0 0\n';
const EXTXYZ = '1\nProperties=species:S:1:pos:R:3 pbc="F F F"\nH 0 0 0\n';

describe('format registry', () => {
  it('lists every format once with its extensions and capabilities', () => {
    expect(STRUCTURE_FORMATS.map((f) => f.name).sort()).toEqual(['cif', 'extxyz', 'pdb', 'poscar', 'xyz']);
    expect(getFormat('poscar').multiFrame).toBe(false);
    expect(STRUCTURE_FORMATS.filter((f) => f.write).map((f) => f.name).sort()).toEqual(['extxyz', 'poscar', 'xyz']);
  });

  it.each([
    ['water.xyz', XYZ, 'xyz'],
    ['frames.xyz', EXTXYZ, 'extxyz'],
    ['frames.extxyz', XYZ, 'extxyz'],
    ['/some/dir/POSCAR', '', 'poscar'],
    ['CONTCAR.relax', '', 'poscar'],
    ['contcar', '', 'poscar'],
    ['Si.vasp', '', 'poscar'],
    ['NaCl.CIF', '', 'cif'],
    ['1abc.ent', '', 'pdb'],
    ['noext', readFixture('NaCl.cif'), 'cif'],
    ['structure.dat', readFixture('two-models.pdb'), 'pdb'],
    ['structure.txt', EXTXYZ, 'extxyz'],
    ['geometry', XYZ, 'xyz'],
    ['cell.in', readFixture('POSCAR'), 'poscar'],
  ])('detects %s as %s', (path, text, expected) => {
    expect(detectFormat(path, text)).toBe(expected);
  });

  it('rejects an unknown extension whose content it does not recognise (E_INPUT naming the file)', () => {
    const err = catchHamError(() => detectFormat('notes.docx', 'hello world'));
    expect(err.code).toBe('E_INPUT');
    expect(err.message).toMatch(/^notes\.docx: cannot tell the structure format .*extension '\.docx'/);
  });

  it('rejects an unknown format name', () => {
    expect(catchHamError(() => getFormat('mol2')).code).toBe('E_INPUT');
  });

  it('writes a single-frame format only for one structure', () => {
    const s = { numbers: [1], positions: [[0, 0, 0]] as [number, number, number][], cell: undefined };
    expect(catchHamError(() => getFormat('poscar').write!([s, s])).message).toMatch('one structure, not 2');
  });
});

describe('parseStructures and readStructures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hamstudio-structure-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads each fixture through the registry', async () => {
    const counts: Record<string, number[]> = {
      'water.xyz': [3, 3], 'quartz-slab.extxyz': [4], POSCAR: [3], CONTCAR: [2], 'NaCl.cif': [8], 'rutile.cif': [6],
      'two-models.pdb': [5, 5],
    };
    for (const [name, expected] of Object.entries(counts)) {
      const frames = await readStructures(fixturePath(name));
      expect(frames.map((s) => s.numbers.length), name).toEqual(expected);
    }
  });

  it('honours an explicit format over the file name', () => {
    expect(parseStructures(EXTXYZ, 'x.dat', 'xyz')[0].info).toEqual({ comment: EXTXYZ.split('\n')[1] });
  });

  it('reports a missing file as E_NOT_FOUND and a directory as E_INPUT, naming the path', async () => {
    const missing = join(dir, 'missing.xyz');
    await expect(readStructures(missing)).rejects.toMatchObject({ code: 'E_NOT_FOUND', location: { file: missing } });
    await expect(readStructures(dir)).rejects.toMatchObject({ code: 'E_INPUT', location: { file: dir } });
  });

  it('reads a file written to disk, with the empty-file check before detection', async () => {
    const path = join(dir, 'empty.unknown');
    await writeFile(path, '');
    await expect(readStructures(path)).rejects.toMatchObject({ code: 'E_FORMAT', location: { file: path, line: 1 } });
  });
});
