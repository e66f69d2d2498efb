import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HamError } from '../../../core/contracts/errors.ts';
import { writeDirectoryAtomic, writeFileAtomic, ioError } from '../../../core/io/atomic-write.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'hamstudio-atomic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const leftovers = () => readdirSync(tmp).filter((f) => f.includes('.tmp-'));

describe('writeFileAtomic', () => {
  it('creates, replaces and leaves no temporary file', () => {
    const file = path.join(tmp, 'sub', 'a.txt');
    writeFileAtomic(file, 'one');
    writeFileAtomic(file, new TextEncoder().encode('two'));
    expect(readFileSync(file, 'utf8')).toBe('two');
    expect(readdirSync(path.dirname(file))).toEqual(['a.txt']);
  });

  it('fails with E_IO naming the file when the target cannot be written', () => {
    const blocker = path.join(tmp, 'blocker');
    writeFileSync(blocker, 'a file, not a folder');
    const target = path.join(blocker, 'x.txt');
    expect(() => writeFileAtomic(target, 'x')).toThrow(HamError);
    expect(() => writeFileAtomic(target, 'x')).toThrow(target);
  });
});

describe('writeDirectoryAtomic', () => {
  it('publishes a complete folder', async () => {
    const dir = path.join(tmp, 'ok');
    await writeDirectoryAtomic(dir, (t) => {
      writeFileAtomic(path.join(t, 'a'), 'A');
      writeFileAtomic(path.join(t, 'b'), 'B');
    });
    expect(readdirSync(dir).sort()).toEqual(['a', 'b']);
    expect(leftovers()).toEqual([]);
  });

  it('leaves nothing when filling fails, and the error propagates', async () => {
    const dir = path.join(tmp, 'failed');
    await expect(writeDirectoryAtomic(dir, (t) => {
      writeFileAtomic(path.join(t, 'a'), 'A');
      throw new HamError('E_INPUT', 'boom');
    })).rejects.toThrow('boom');
    expect(existsSync(dir)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('replaces an existing folder only when asked', async () => {
    const dir = path.join(tmp, 'existing');
    await writeDirectoryAtomic(dir, (t) => writeFileAtomic(path.join(t, 'old'), '1'));
    await expect(writeDirectoryAtomic(dir, (t) => writeFileAtomic(path.join(t, 'new'), '2'))).rejects.toThrow(/exists/);
    expect(readdirSync(dir)).toEqual(['old']);
    await writeDirectoryAtomic(dir, (t) => writeFileAtomic(path.join(t, 'new'), '2'), { replace: true });
    expect(readdirSync(dir)).toEqual(['new']);
    expect(leftovers()).toEqual([]);
  });
});

describe('ioError', () => {
  it('says the disk is full (and which file) for ENOSPC, and keeps other codes as they are', () => {
    const full = Object.assign(new Error('no space'), { code: 'ENOSPC' });
    expect(ioError(full, '/runs/x/checkpoints/epoch-7', 'write')).toMatchObject({
      code: 'E_IO', message: '/runs/x/checkpoints/epoch-7: cannot write: the disk is full (ENOSPC)', location: { file: '/runs/x/checkpoints/epoch-7' },
    });
    expect(ioError(Object.assign(new Error('x'), { code: 'EIO' }), '/f', 'write').message).toBe('/f: cannot write: EIO');
  });
});
