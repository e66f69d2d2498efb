import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from '../../../core/cli/args.ts';

const OPTIONS = { center: { type: 'string' }, force: { type: 'boolean' } } as const;

describe('parseCommandArgs', () => {
  it('takes a negative number as the value of a string option', () => {
    expect(parseCommandArgs('bands', ['x', '--center', '-1.25'], OPTIONS).values.center).toBe('-1.25');
    expect(parseCommandArgs('bands', ['--center', '-.5', 'x'], OPTIONS).values.center).toBe('-.5');
    expect(parseCommandArgs('bands', ['--center=-3'], OPTIONS).values.center).toBe('-3');
  });

  it('turns parse errors into one line naming the command', () => {
    for (const args of [['--center', '--force'], ['--nope'], ['--center']]) {
      let message = '';
      try { parseCommandArgs('bands', args, OPTIONS); } catch (e) { message = (e as Error).message; }
      expect(message).toMatch(/^bands: .* \(see 'hamstudio bands --help'\)$/);
      expect(message).not.toMatch(/\n/);
    }
  });
});
