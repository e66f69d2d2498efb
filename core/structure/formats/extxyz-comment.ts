/**
 * The key=value comment line of extended XYZ (ASE's convention): `key=value`, `key="quoted value"` (backslash
 * escapes), `key={...}` / `key=[...]`, and bare `key` meaning true. Whitespace around '=' is allowed.
 */
import { formatError, type Where } from './text.ts';

export interface CommentEntry {
  key: string;
  value: string;
  /** Quoted or bracketed values are strings by the writer's choice; bare values may be numbers or booleans. */
  quoted: boolean;
}

const CLOSING: Record<string, string> = { '"': '"', '{': '}', '[': ']' };

export function parseCommentLine(comment: string, at: Where): CommentEntry[] {
  const s = comment;
  const entries: CommentEntry[] = [];
  const seen = new Set<string>();
  let k = 0;
  const skipSpace = (): void => {
    while (k < s.length && /\s/.test(s[k])) k++;
  };
  // A token: quoted/bracketed (without its delimiters) or bare up to whitespace (and up to '=' for keys).
  const token = (isKey: boolean): { text: string; quoted: boolean } => {
    const open = s[k];
    const close = CLOSING[open];
    if (close !== undefined && (open === '"' || !isKey)) {
      let out = '';
      for (k++; k < s.length && s[k] !== close; k++) {
        if (open === '"' && s[k] === '\\' && k + 1 < s.length) k++;
        out += s[k];
      }
      if (k >= s.length) throw formatError(`unterminated ${open}...${close} in the comment line`, at);
      k++;
      return { text: out, quoted: true };
    }
    const start = k;
    while (k < s.length && !/\s/.test(s[k]) && !(isKey && s[k] === '=')) k++;
    return { text: s.slice(start, k), quoted: false };
  };

  for (skipSpace(); k < s.length; skipSpace()) {
    if (s[k] === '=') throw formatError(`'=' without a key at column ${k + 1} of the comment line`, at);
    const key = token(true).text;
    skipSpace();
    let entry: CommentEntry = { key, value: 'T', quoted: false };
    if (s[k] === '=') {
      k++;
      skipSpace();
      if (k >= s.length) throw formatError(`key '${key}' has no value`, at);
      const v = token(false);
      entry = { key, value: v.text, quoted: v.quoted };
    }
    if (seen.has(key)) throw formatError(`key '${key}' appears twice in the comment line`, at);
    seen.add(key);
    entries.push(entry);
  }
  return entries;
}

const TRUE = new Set(['T', 'True', 'true', 'TRUE']);
const FALSE = new Set(['F', 'False', 'false', 'FALSE']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Boolean for T/True/true/F/False/false, else undefined. */
export function parseBool(text: string): boolean | undefined {
  return TRUE.has(text) ? true : FALSE.has(text) ? false : undefined;
}

/** The `info` value of an entry: quoted stays a string; bare numbers and booleans are typed (ASE's rule). */
export function infoValue(e: CommentEntry): string | number | boolean {
  if (e.quoted) return e.value;
  if (NUMBER.test(e.value) && Number.isFinite(Number(e.value))) return Number(e.value);
  return parseBool(e.value) ?? e.value;
}
