/** One readable line for a failed call: the API's code and message (DESIGN.md §9: never a stack trace). */
import { ApiCallError } from '../bridge/index.ts';

export function describeError(e: unknown): string {
  if (e instanceof ApiCallError) return `${e.code}: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
