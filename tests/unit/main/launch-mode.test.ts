import { describe, expect, it } from 'vitest';
import { chooseLaunchMode } from '../../../main/launch-mode.ts';

describe('launch mode', () => {
  it('uses Electron when its binary exists', () => {
    expect(chooseLaunchMode([], () => process.execPath)).toEqual({ mode: 'electron', binary: process.execPath });
  });
  it('falls back to browser mode without the package, without the binary, or when asked', () => {
    expect(chooseLaunchMode([], () => { throw new Error('Cannot find module'); })).toEqual({ mode: 'browser', reason: 'Electron is not installed' });
    expect(chooseLaunchMode([], () => '/nonexistent/electron')).toMatchObject({ mode: 'browser', reason: expect.stringMatching(/binary is missing/) });
    expect(chooseLaunchMode(['--browser'], () => process.execPath)).toMatchObject({ mode: 'browser' });
  });
});
