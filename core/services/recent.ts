/**
 * The structures the user opened lately (issue "The desktop application", Structures: "a list of recent
 * structures"), newest first, kept in one JSON file of the user's data folder so the list survives restarts. A file
 * opened by content keeps its text (up to MAX_TEXT characters: it is what reopening reads, since the renderer never
 * hands the app a path); a labelled structure keeps the dataset folder and index the user gave.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { RecentStructure, StructureSummary } from '../contracts/api.ts';
import { HamError } from '../contracts/errors.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';

const MAX_ENTRIES = 12;
/** Larger files are listed but not kept: reopening them means opening the file again. */
const MAX_TEXT = 5_000_000;

export type RecentSource = { kind: 'file'; text?: string } | { kind: 'labelled'; path: string; index?: number };

interface StoredEntry extends RecentStructure {
  source: RecentSource;
}

export class RecentStructures {
  private entries: StoredEntry[] = [];

  /** With a file, the list is read from it (a damaged file starts an empty list) and written back on every change. */
  constructor(private readonly file?: string) {
    if (!file || !existsSync(file)) return;
    try {
      const stored = JSON.parse(readFileSync(file, 'utf8')) as { entries?: StoredEntry[] };
      this.entries = Array.isArray(stored.entries) ? stored.entries.slice(0, MAX_ENTRIES) : [];
    } catch {
      this.entries = [];
    }
  }

  list(): RecentStructure[] {
    return this.entries.map(({ source, ...entry }) => ({ ...entry, reopenable: source.kind === 'labelled' || source.text !== undefined }));
  }

  /** Records an opened structure; the same file name (or folder and index) opened again moves to the top. */
  add(summary: StructureSummary, source: RecentSource): void {
    const kept: RecentSource = source.kind === 'file' && (source.text?.length ?? 0) > MAX_TEXT ? { kind: 'file' } : source;
    const same = (e: StoredEntry) => (kept.kind === 'file'
      ? e.source.kind === 'file' && e.name === summary.name
      : e.source.kind === 'labelled' && e.source.path === kept.path && e.source.index === kept.index);
    const entry: StoredEntry = {
      id: randomUUID(), name: summary.name, formula: summary.formula, atoms: summary.symbols.length, periodic: summary.periodic,
      labelled: kept.kind === 'labelled', opened: new Date().toISOString(), reopenable: true, source: kept,
    };
    this.entries = [entry, ...this.entries.filter((e) => !same(e))].slice(0, MAX_ENTRIES);
    if (this.file) writeFileAtomic(this.file, `${JSON.stringify({ format: 'hamstudio-recent', version: 1, entries: this.entries })}\n`);
  }

  /** How to reopen an entry: the kept file text, or the dataset folder and index. */
  source(id: string): { name: string; source: { kind: 'file'; text: string } | Extract<RecentSource, { kind: 'labelled' }> } {
    const e = this.entries.find((x) => x.id === id);
    if (!e) throw new HamError('E_NOT_FOUND', 'no such recent structure', { key: 'id' });
    if (e.source.kind === 'labelled') return { name: e.name, source: e.source };
    if (e.source.text === undefined) throw new HamError('E_INPUT', `${e.name} was too large to keep; open the file again`, { key: 'id' });
    return { name: e.name, source: { kind: 'file', text: e.source.text } };
  }
}
