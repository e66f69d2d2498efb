/**
 * The closed set of error codes of the Hamiltonian Studio API (DESIGN.md §2). Every user-facing failure is a
 * HamError carrying one of these codes and a message that names the file / line / key and what is wrong.
 */
export const ERROR_CODES = [
  'E_INPUT',
  'E_FORMAT',
  'E_UNSUPPORTED_ELEMENT',
  'E_BASIS_MISMATCH',
  'E_NOT_FOUND',
  'E_CANCELLED',
  'E_NUMERIC',
  'E_IO',
  'E_EXTERNAL_TOOL',
  'E_INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Where in the user's input the problem is: shown as `file:line` or `file [key]`. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  key?: string;
}

export class HamError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation;

  constructor(code: ErrorCode, message: string, location: ErrorLocation = {}) {
    super(formatMessage(message, location));
    this.name = 'HamError';
    this.code = code;
    this.location = location;
  }
}

function formatMessage(message: string, loc: ErrorLocation): string {
  const where = [
    loc.file ? (loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file) : undefined,
    loc.key !== undefined ? `[${loc.key}]` : undefined,
  ].filter(Boolean).join(' ');
  return where ? `${where}: ${message}` : message;
}

export function isHamError(e: unknown): e is HamError {
  return e instanceof HamError;
}
