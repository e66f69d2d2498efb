import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { type ErrorCode, HamError } from '../../../core/contracts/errors.ts';

/** The HamError that `fn` throws (failing the test if it throws anything else or nothing). */
export function catchHamError(fn: () => unknown): HamError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a HamError').toBeInstanceOf(HamError);
  return caught as HamError;
}

/** `fn` throws a HamError with `code` whose message names `file:line` and matches `fragment`. */
export function expectHamError(
  fn: () => unknown, code: ErrorCode, file: string, line: number, fragment: string | RegExp,
): HamError {
  const err = catchHamError(fn);
  expect(err.code).toBe(code);
  // "file:line: what" or "file:line [key]: what" (HamError's format).
  expect(err.message.startsWith(`${file}:${line}`) && /^[: ]/.test(err.message.slice(`${file}:${line}`.length)),
    err.message).toBe(true);
  expect(err.location).toMatchObject({ file, line });
  expect(err.message).toMatch(fragment);
  return err;
}

/** Absolute path of a file in tests/fixtures/structures. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/structures/${name}`, import.meta.url));
}

export function readFixture(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}
