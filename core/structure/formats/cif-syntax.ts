/**
 * CIF 1.1 syntax (https://www.iucr.org/resources/cif/spec/version1.1/cifsyntax): data blocks of `_tag value`
 * items and `loop_` tables; values bare, 'quoted', "quoted" (a quote closes only before whitespace) or
 * `;`-delimited multi-line text fields; `#` comments. Tags are case-insensitive; they are stored lower-case with
 * mmCIF's '.' read as '_' so that `_atom_site.fract_x` and `_atom_site_fract_x` are one tag.
 */
import { assertNotEmpty, formatError, splitLines } from './text.ts';

export interface CifValue {
  text: string;
  /** 1-based line where the value starts. */
  line: number;
  /** Quoted or text-field values are never tags or keywords. */
  quoted: boolean;
}

export interface CifLoop {
  line: number;
  tags: string[];
  rows: CifValue[][];
}

export interface CifBlock {
  name: string;
  line: number;
  items: Map<string, CifValue>;
  loops: CifLoop[];
}

export function normalizeTag(tag: string): string {
  return tag.toLowerCase().replace(/\./g, '_');
}

function tokenize(text: string, file: string): CifValue[] {
  const lines = splitLines(text);
  const tokens: CifValue[] = [];
  const scan = (s: string, line: number): void => {
    let c = 0;
    while (c < s.length) {
      if (/\s/.test(s[c])) {
        c++;
      } else if (s[c] === '#') {
        return;
      } else if (s[c] === "'" || s[c] === '"') {
        const q = s[c];
        let end = c + 1;
        while (end < s.length && !(s[end] === q && (end + 1 === s.length || /\s/.test(s[end + 1])))) end++;
        if (end >= s.length) throw formatError(`unterminated ${q}quoted${q} value`, { file, line });
        tokens.push({ text: s.slice(c + 1, end), line, quoted: true });
        c = end + 1;
      } else {
        const start = c;
        while (c < s.length && !/\s/.test(s[c])) c++;
        tokens.push({ text: s.slice(start, c), line, quoted: false });
      }
    }
  };
  for (let k = 0; k < lines.length; k++) {
    if (!lines[k].startsWith(';')) {
      scan(lines[k], k + 1);
      continue;
    }
    const start = k;
    const body = [lines[k].slice(1)];
    for (k++; k < lines.length && !lines[k].startsWith(';'); k++) body.push(lines[k]);
    if (k >= lines.length) throw formatError(`text field opened with ';' is never closed`, { file, line: start + 1 });
    tokens.push({ text: body.join('\n'), line: start + 1, quoted: true });
    scan(lines[k].slice(1), k + 1);
  }
  return tokens;
}

const isKeyword = (t: CifValue, word: string): boolean => !t.quoted && t.text.toLowerCase().startsWith(word);
const isTag = (t: CifValue): boolean => !t.quoted && t.text.startsWith('_');
const isReserved = (t: CifValue): boolean =>
  ['data_', 'loop_', 'save_', 'global_', 'stop_'].some((w) => isKeyword(t, w));

export function parseCif(text: string, file: string): CifBlock[] {
  assertNotEmpty(text, file);
  const tokens = tokenize(text, file);
  const blocks: CifBlock[] = [];
  let block: CifBlock | undefined;
  let t = 0;
  while (t < tokens.length) {
    const tok = tokens[t];
    const at = { file, line: tok.line };
    if (isKeyword(tok, 'data_')) {
      block = { name: tok.text.slice(5), line: tok.line, items: new Map(), loops: [] };
      blocks.push(block);
      t++;
    } else if (isKeyword(tok, 'save_') || isKeyword(tok, 'global_')) {
      t++; // save frames and global blocks belong to dictionaries, not to structure files
    } else if (!block) {
      throw formatError(`'${tok.text}' appears before the first data_ block`, at);
    } else if (isKeyword(tok, 'loop_')) {
      const tags: string[] = [];
      for (t++; t < tokens.length && isTag(tokens[t]); t++) tags.push(normalizeTag(tokens[t].text));
      if (tags.length === 0) throw formatError('loop_ without tags', at);
      const values: CifValue[] = [];
      for (; t < tokens.length && !isTag(tokens[t]) && !isReserved(tokens[t]); t++) values.push(tokens[t]);
      if (values.length % tags.length !== 0) {
        throw formatError(`loop has ${values.length} values, not a multiple of its ${tags.length} tags`, at);
      }
      const rows: CifValue[][] = [];
      for (let r = 0; r < values.length; r += tags.length) rows.push(values.slice(r, r + tags.length));
      block.loops.push({ line: tok.line, tags, rows });
    } else if (isTag(tok)) {
      const value = tokens[t + 1];
      if (!value || isTag(value) || isReserved(value)) throw formatError(`tag ${tok.text} has no value`, at);
      block.items.set(normalizeTag(tok.text), value);
      t += 2;
    } else {
      throw formatError(`unexpected value '${tok.text}' outside a loop`, at);
    }
  }
  return blocks;
}
