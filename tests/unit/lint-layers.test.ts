/** The lint rules that keep the layers apart (DESIGN.md §2) really fire: a test that they can fail. */
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function messages(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return r.messages.map((m) => m.message);
}

describe('layer rules', () => {
  it('core may not import electron, vue or tfjs directly', async () => {
    expect(await messages('core/x.ts', "import 'electron';\n")).toEqual([expect.stringMatching(/no Electron/)]);
    expect(await messages('core/x.ts', "import { ref } from 'vue';\nexport const r = ref(1);\n")).toEqual([expect.stringMatching(/no Vue/)]);
    expect(await messages('core/nn/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).toEqual([expect.stringMatching(/core\/runtime\/tf\.ts/)]);
  });

  it('core may not import from main/ or renderer/', async () => {
    expect(await messages('core/x.ts', "import { chooseLaunchMode } from '../main/launch-mode.ts';\nexport const f = chooseLaunchMode;\n")).toHaveLength(1);
  });

  it('the renderer imports only types, and only from core/contracts', async () => {
    expect(await messages('renderer/x.ts', "import type { ErrorCode } from '../core/contracts/errors.ts';\nexport type E = ErrorCode;\n")).toEqual([]);
    expect(await messages('renderer/x.ts', "import { HamError } from '../core/contracts/errors.ts';\nexport const E = HamError;\n")).toHaveLength(1);
    expect(await messages('renderer/x.ts', "import { Params } from '../core/nn/params.ts';\nexport const P = Params;\n")).toHaveLength(1);
    expect(await messages('renderer/x.ts', "import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n")).toHaveLength(1);
  });

  it('the renderer rules hold inside Vue single-file components', async () => {
    const sfc = (imports: string) => `<script setup lang="ts">\n${imports}\n</script>\n<template><p>{{ x }}</p></template>\n`;
    expect(await messages('renderer/views/ProbeView.vue', sfc("import type { ErrorCode } from '../../core/contracts/errors.ts';\nconst x: ErrorCode = 'E_INPUT';"))).toEqual([]);
    expect(await messages('renderer/views/ProbeView.vue', sfc("import { HamError } from '../../core/contracts/errors.ts';\nconst x = HamError;"))).toHaveLength(1);
    expect(await messages('renderer/views/ProbeView.vue', sfc("import { initBackend } from '../../core/runtime/backend.ts';\nconst x = initBackend;"))).toHaveLength(1);
  });
});
