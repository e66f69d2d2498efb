/** The basis sets shipped in resources/basis, loaded once and cached. */
import { readFileSync } from 'node:fs';
import { HamError } from '../contracts/errors.ts';
import { resourcePath } from '../runtime/paths.ts';
import { elementSymbol } from '../structure/elements.ts';
import { parseGbs } from './gbs.ts';
import type { GaussianBasisSet, GaussianShell } from './gaussian-basis.ts';

const FILES: Record<string, string> = { 'def2-svp': 'def2-svp.gbs' };
const cache = new Map<string, GaussianBasisSet>();

export function knownBasisSets(): string[] {
  return Object.keys(FILES);
}

/** Whether S can be computed from the model's basis (a shipped Gaussian set) rather than predicted. */
export function hasAnalyticOverlaps(arch: { basis: string }): boolean {
  return FILES[arch.basis.toLowerCase()] !== undefined;
}

export function loadBasisSet(name: string): GaussianBasisSet {
  const key = name.toLowerCase();
  const hit = cache.get(key);
  if (hit) return hit;
  const fileName = FILES[key];
  if (!fileName) {
    throw new HamError('E_NOT_FOUND', `unknown basis set '${name}'; available: ${Object.keys(FILES).join(', ')}`);
  }
  const file = resourcePath('basis', fileName);
  const basis = parseGbs(readFileSync(file, 'utf8'), name, file);
  cache.set(key, basis);
  return basis;
}

/** Shells of element z, or a clear error when the basis does not cover it (all-electron only: no ECPs). */
export function elementShells(basis: GaussianBasisSet, z: number): GaussianShell[] {
  const sym = elementSymbol(z);
  if (basis.ecpElements.has(z)) {
    throw new HamError('E_UNSUPPORTED_ELEMENT',
      `${sym} needs an effective core potential in ${basis.name}; only all-electron elements are supported`);
  }
  const shells = basis.elements.get(z);
  if (!shells) throw new HamError('E_UNSUPPORTED_ELEMENT', `${basis.name} has no functions for ${sym}`);
  return shells;
}
