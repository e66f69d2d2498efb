/**
 * Browser mode end to end (issue "The desktop application"): `hamstudio-app --browser` on a free port with a tiny
 * freshly trained models, driven in Debian's Chromium — open the water example, predict, see the H and S heatmaps
 * drawn and the orbital levels; open a water conformer of a dataset with its DFT reference and see the error heatmap,
 * the error table and both level sets; open graphene, predict H(R), change R, see the bands and the DOS; open pristine
 * graphene with its reference and see the error at another R and the reference bands. Screenshots go to test-results/.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetPath } from '../helpers/datasets.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = path.join(ROOT, 'test-results');
const node = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, args, {
  cwd: ROOT, encoding: 'utf8', env: { ...process.env, HAMSTUDIO_BACKEND: 'wasm', ...env },
});

let tmp: string;
let app: ChildProcess | undefined;
let browser: Browser | undefined;
let page: Page;

/** Starts the app and resolves with the URL it prints. */
function startApp(modelsDir: string): Promise<string> {
  app = spawn(process.execPath, [path.join(ROOT, 'bin/hamstudio-app.mjs'), '--browser', '--port', '0'], {
    cwd: ROOT, env: { ...process.env, HAMSTUDIO_BACKEND: 'wasm', HAMSTUDIO_MODELS_DIR: modelsDir, HAMSTUDIO_DATA_DIR: path.join(modelsDir, '..', 'data'), HAMSTUDIO_RUNS_DIR: path.join(modelsDir, '..', 'runs') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output)?.[0];
      if (url) resolve(url);
    };
    app?.stdout?.on('data', onData);
    app?.stderr?.on('data', onData);
    app?.once('exit', (code) => reject(new Error(`the app exited (${code}) before printing its URL:\n${output}`)));
  });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser-mode e2e test needs Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run installs it)`);
  }
  tmp = mkdtempSync(path.join(os.tmpdir(), 'hamstudio-e2e-'));
  writeFileSync(path.join(tmp, 'tiny.json'), JSON.stringify({ channels: 2, layers: 1, radialHidden: 4, tracegrad: { invariants: 1, hidden: 4, zDim: 2, alphaInit: 0.1 } }));
  const train = node(['bin/hamstudio.mjs', 'train', '--data', datasetPath('water-pbe-def2svp-rotated'), '--val-fraction', '0.25',
    '--config', path.join(tmp, 'tiny.json'), '--epochs', '1', '--out', path.join(tmp, 'run')]);
  expect(train.status, train.stderr).toBe(0);
  cpSync(path.join(tmp, 'run', 'model'), path.join(tmp, 'models', 'tiny-water'), { recursive: true });
  const graphene = (k: string) => path.join(datasetPath('graphene-3x3-pbe-dzp'), k);
  writeFileSync(path.join(tmp, 'tiny-crystal.json'), JSON.stringify({ cutoff: 7.1, channels: 2, layers: 1, radialHidden: 4, tracegrad: { invariants: 1, hidden: 4, zDim: 2, alphaInit: 0.1 } }));
  const trainCrystal = node(['bin/hamstudio.mjs', 'train', '--data', graphene('0000'), '--data', graphene('0001'), '--val', graphene('0002'),
    '--config', path.join(tmp, 'tiny-crystal.json'), '--epochs', '1', '--out', path.join(tmp, 'run-crystal')]);
  expect(trainCrystal.status, trainCrystal.stderr).toBe(0);
  cpSync(path.join(tmp, 'run-crystal', 'model'), path.join(tmp, 'models', 'tiny-graphene'), { recursive: true });
  // Build from the sources under test: a stale renderer/dist would test yesterday's renderer.
  const build = spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  const url = await startApp(path.join(tmp, 'models'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  app?.kill();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Pixels of a canvas that are neither white nor transparent, and how many distinct colours it has. */
function canvasInk(selector: string) {
  return page.$eval(selector, (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
    let ink = 0;
    const colours = new Set<number>();
    for (let k = 0; k < data.length; k += 4) {
      if (data[k + 3] > 0 && (data[k] < 250 || data[k + 1] < 250 || data[k + 2] < 250)) ink++;
      colours.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
    }
    return { ink, colours: colours.size, pixels: data.length / 4 };
  });
}

describe('browser mode', () => {
  it('opens the water example and shows atoms, elements and orbitals', async () => {
    await page.click('[data-example="water.xyz"]');
    await expect.poll(() => page.textContent('[data-testid="atoms"]')).toBe('3');
    expect(await page.textContent('[data-testid="orbitals"]')).toMatch(/^24 \(def2-SVP\)/);
    await expect.poll(() => page.locator('[data-testid="recent"] li').first().textContent()).toMatch(/^water\.xyz\s*H2O, 3 atoms/);
    expect(await page.textContent('h2 >> nth=1')).toMatch(/water\.xyz — H2O/);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-structure.png') });
  });

  it('predicts H and draws the H and S heatmaps with hover labels', async () => {
    await page.click('[data-testid="predict"]');
    await page.waitForSelector('canvas[data-matrix="H"]', { timeout: 60_000 });
    for (const m of ['H', 'S']) {
      const { ink, colours, pixels } = await canvasInk(`canvas[data-matrix="${m}"]`);
      expect(ink, `${m} heatmap is blank`).toBeGreaterThan(pixels / 10);
      expect(colours).toBeGreaterThan(10);
    }
    const box = await page.locator('canvas[data-matrix="H"]').boundingBox();
    expect(box).not.toBeNull();
    // Top-left entry: the oxygen's first s function with itself, in Hartree.
    await page.mouse.move((box?.x ?? 0) + 2, (box?.y ?? 0) + 2);
    await expect.poll(() => page.locator('.hover').first().textContent()).toMatch(/^O1 1s m=0 × O1 1s m=0: -?[\d.]+(e[+-]\d+)? Eh$/);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-hamiltonian.png') });
    // Wheel zooms about the pointer, a double click shows the whole matrix again.
    const caption = page.locator('figure.heatmap figcaption').first();
    await page.mouse.move((box?.x ?? 0) + 100, (box?.y ?? 0) + 100);
    await page.mouse.wheel(0, -400);
    await expect.poll(() => caption.textContent()).toMatch(/showing \d+ × \d+ from row/);
    await page.mouse.dblclick((box?.x ?? 0) + 100, (box?.y ?? 0) + 100);
    await expect.poll(() => caption.textContent()).toBe('H (24 × 24)');
  });

  it('shows the orbital levels with HOMO, LUMO and the gap', async () => {
    await page.click('[data-view="spectrum"]');
    await page.waitForSelector('svg.levels');
    expect(await page.locator('line.level.occupied').count()).toBeGreaterThan(0);
    expect(await page.locator('line.level.virtual').count()).toBeGreaterThan(0);
    const homo = Number.parseFloat((await page.textContent('[data-testid="homo"]')) ?? '');
    const lumo = Number.parseFloat((await page.textContent('[data-testid="lumo"]')) ?? '');
    expect(lumo).toBeGreaterThanOrEqual(homo);
    expect(await page.textContent('[data-testid="gap"]')).toMatch(/ Eh$/);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-spectrum.png') });
  });

  it('exports the prediction as a Molden file the user saves', async () => {
    await page.click('[data-view="export"]');
    await page.selectOption('select[data-testid="export-format"]', 'molden');
    await page.click('[data-testid="export"]');
    const link = page.locator('[data-testid="export-files"] a', { hasText: '.molden' });
    await link.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = path.join(tmp, 'saved.molden');
    await download.saveAs(file);
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\[Molden Format\]/);
    expect(text).toContain('[GTO]');
    expect(text).toContain('[MO]');
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-export.png') });
  });

  it('opens a file from the file input and reports a dropped broken file by name and line', async () => {
    await page.click('[data-view="structures"]');
    await page.setInputFiles('input[type="file"]', { name: 'co2.xyz', mimeType: 'text/plain', buffer: Buffer.from('3\n\nC 0 0 0\nO 0 0 1.16\nO 0 0 -1.16\n') });
    await expect.poll(() => page.textContent('h2 >> nth=1')).toMatch(/co2\.xyz — CO2/);
    expect(await page.textContent('[data-testid="atoms"]')).toBe('3');
    const dropped = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['2\n\nO 0 0 0\nH 0 zero 1\n'], 'broken.xyz'));
      return dt;
    });
    await page.dispatchEvent('.drop', 'drop', { dataTransfer: dropped });
    await expect.poll(() => page.textContent('[role="alert"]')).toMatch(/^E_FORMAT: broken\.xyz:4/);
  });

  it('opens a water conformer with its DFT reference, predicts, and shows the error heatmap, the error table and both level sets', async () => {
    const water = datasetPath('water-pbe-def2svp');
    await page.click('[data-view="structures"]');
    await page.fill('[data-testid="labelled-path"]', water);
    await page.fill('[data-testid="labelled-index"]', '9999');
    await page.click('[data-testid="open-labelled"]');
    await expect.poll(() => page.textContent('[role="alert"]')).toMatch(/^E_INPUT: .*water-pbe-def2svp \[index\]: no structure 9999: a matrix stack holds 475/);
    await page.fill('[data-testid="labelled-index"]', '7');
    await page.click('[data-testid="open-labelled"]');
    await expect.poll(() => page.textContent('[data-testid="reference"]')).toMatch(/^water-pbe-def2svp\/7 \(matrix-stack, hartree\)/);
    expect(await page.textContent('[data-testid="orbitals"]')).toMatch(/^24 \(def2-SVP\)/);
    await page.click('[data-testid="predict"]');
    await page.waitForSelector('input[data-choice="error"]', { timeout: 60_000 });
    const predicted = await canvasInk('canvas[data-matrix="H"]');
    await page.check('input[data-choice="error"]');
    await page.waitForSelector('canvas[data-matrix="error"]');
    const error = await canvasInk('canvas[data-matrix="error"]');
    expect(error.ink, 'error heatmap is blank').toBeGreaterThan(error.pixels / 10);
    expect(error.colours).toBeGreaterThan(10);
    expect(error.ink).not.toBe(predicted.ink);
    expect(await page.getAttribute('canvas[data-matrix="error"]', 'data-title')).toBe('H error: predicted − reference');
    const box = await page.locator('canvas[data-matrix="error"]').boundingBox();
    await page.mouse.move((box?.x ?? 0) + 2, (box?.y ?? 0) + 2);
    await expect.poll(() => page.locator('.hover').first().textContent()).toMatch(/^O1 1s m=0 × O1 1s m=0: -?[\d.]+(e[+-]\d+)? Eh$/);
    expect((await page.textContent('[data-testid="error-overall"]'))?.trim()).toMatch(/^H MAE [\d.]+ μEh \(on-site [\d.]+ μEh, off-site [\d.]+ μEh; largest \|ΔH\| [\d.]+ μEh\)$/);
    const types = await page.locator('[data-testid="error-table"] tbody tr.whole td:first-child').allTextContents();
    expect(types).toEqual(['off-site H–H', 'off-site H–O', 'on-site H', 'on-site O']);
    await page.click('[data-testid="sort-mae"]');
    const maes = (await page.locator('[data-testid="row-mae"]').allTextContents()).map((t) => Number.parseFloat(t));
    expect(maes.length).toBeGreaterThan(types.length);
    expect(maes).toEqual([...maes].sort((a, b) => b - a));
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-error.png') });

    await page.click('[data-view="spectrum"]');
    await page.waitForSelector('svg.levels g.reference line.level.dashed', { state: 'attached' });
    expect(await page.textContent('[data-testid="ref-homo"]')).toMatch(/^-?[\d.]+ Eh$/);
    expect(await page.textContent('[data-testid="eps-mae"]')).toMatch(/^[\d.]+(e[+-]\d+)? Eh over 5 occupied orbitals$/);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-reference-levels.png') });
  });

  it('opens graphene, predicts H(R), switches the translation and draws the bands with the DOS', async () => {
    await page.click('[data-view="structures"]');
    await page.click('[data-example="graphene-3x3.vasp"]');
    await expect.poll(() => page.textContent('[data-testid="atoms"]')).toBe('18');
    expect(await page.textContent('[data-testid="orbitals"]')).toMatch(/^234 \(dzp\)/);
    await page.click('[data-testid="predict"]');
    await page.waitForSelector('select[data-testid="translation"]', { timeout: 120_000 });
    const options = await page.locator('select[data-testid="translation"] option').allTextContents();
    expect(options[0]).toBe('(0, 0, 0)');
    expect(options.length).toBeGreaterThan(6);
    const before = await canvasInk('canvas[data-matrix="H"]');
    await page.selectOption('select[data-testid="translation"]', options[1]);
    await expect.poll(() => page.locator('canvas[data-matrix="H"]').getAttribute('data-title')).toContain(options[1]);
    const after = await canvasInk('canvas[data-matrix="H"]');
    expect(after.ink).toBeGreaterThan(0);
    expect(after.ink).not.toBe(before.ink);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-crystal-hamiltonian.png') });
    await page.click('[data-view="spectrum"]');
    await page.waitForSelector('[data-testid="band-structure"] svg path', { state: 'attached', timeout: 180_000 });
    expect(await page.textContent('[data-testid="kpath"]')).toMatch(/^G-M-K-G \(hexagonal-2d, 60 k-points\)/);
    expect(await page.textContent('[data-testid="fermi"]')).toMatch(/^-?\d+\.\d{4} eV$/);
    expect(await page.locator('[data-testid="band-structure"] svg path').count()).toBeGreaterThan(10);
    expect(await page.locator('[data-testid="band-structure"] svg text', { hasText: 'Γ' }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-bands.png') });
  }, 400_000);

  it('opens pristine graphene with its DFT reference: error at another R, H and S errors by block type, dashed reference bands', async () => {
    await page.click('[data-view="structures"]');
    await page.fill('[data-testid="labelled-path"]', path.join(datasetPath('graphene-3x3-pbe-dzp'), 'pristine'));
    await page.fill('[data-testid="labelled-index"]', '');
    await page.click('[data-testid="open-labelled"]');
    await expect.poll(() => page.textContent('[data-testid="reference"]')).toMatch(/^graphene-3x3-pbe-dzp\/pristine \(deeph-legacy, eV\)/);
    await page.click('[data-testid="predict"]');
    await page.waitForSelector('input[data-choice="error"]', { timeout: 120_000 });
    await page.check('input[data-choice="error"]');
    const options = await page.locator('select[data-testid="translation"] option').allTextContents();
    await page.selectOption('select[data-testid="translation"]', options[1]);
    await expect.poll(() => page.locator('canvas[data-matrix="error"]').getAttribute('data-title')).toBe(`H(R = ${options[1]}) error: predicted − reference`);
    expect((await canvasInk('canvas[data-matrix="error"]')).ink).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="error-table"] thead th').allTextContents()).toContain('S MAE');
    expect((await page.textContent('[data-testid="error-overall"]'))?.trim()).toMatch(/^H MAE [\d.]+ meV .* · S MAE \d\.\d\de-\d+$/);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-crystal-error.png') });
    await page.click('[data-view="spectrum"]');
    await page.waitForSelector('[data-testid="band-mae"]', { timeout: 300_000 });
    expect((await page.textContent('[data-testid="band-mae"]'))?.trim()).toMatch(/^[\d.]+ meV \(largest [\d.]+ meV\) over \d+ eigenvalues within ±2 eV of the reference E_F$/);
    expect(await page.locator('[data-testid="band-structure"] svg path[stroke-dasharray]').count()).toBeGreaterThan(10);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-reference-bands.png') });
  }, 500_000);

  it('starts a short fine-tuning of the open molecule and watches it reach done', async () => {
    await page.click('[data-view="structures"]');
    // Again from the recent list, where opening the example and the labelled conformer put it.
    await page.locator('[data-testid="recent"] li', { hasText: /^water\.xyz/ }).getByRole('button').click();
    await expect.poll(() => page.textContent('[data-testid="atoms"]')).toBe('3');
    await page.click('[data-view="runs"]');
    // Guided flow: time one psi4 SCF, see what a budget buys, then choose the count by hand.
    await page.click('[data-testid="ft-estimate"]');
    await page.waitForSelector('[data-testid="ft-estimate-result"]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid="ft-estimate-result"]')).toMatch(/one psi4 1\.\d+\.\d+ PBE\/def2-SVP SCF \(24 orbitals\): \d+\.\d s; \d run at once/);
    await page.fill('[data-testid="ft-budget"]', '0.01');
    expect(await page.textContent('[data-testid="ft-fits"]')).toMatch(/^fits \d+ snapshots$/);
    await page.fill('[data-testid="ft-budget"]', '0');
    await page.fill('[data-testid="ft-n"]', '4');
    await page.fill('[data-testid="ft-epochs"]', '2');
    await page.selectOption('[data-testid="ft-sampling"]', 'thermal');
    await page.click('[data-testid="start-finetune"]');
    const run = page.locator('article.run').first();
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 10_000 }).toMatch(/queued|running|done/);
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 300_000, interval: 1000 }).toBe('done');
    expect(await run.locator('[data-testid="run-result"]').textContent()).toMatch(/held-out H MAE [\d.]+ μEh → [\d.]+ μEh \([−+][\d.]+ %\), occupied orbital energies [\d.]+ μEh → [\d.]+ μEh: .*report: .*report\.html/s);
    expect(await run.locator('.progress').textContent()).toMatch(/epoch 2 of 2/);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-runs.png') });
  }, 400_000);

  it('trains on a dataset folder and compares that run with the fine-tuning', async () => {
    await page.fill('[data-testid="train-data"]', datasetPath('water-pbe-def2svp-rotated'));
    await page.fill('[data-testid="train-epochs"]', '2');
    await page.click('[data-testid="start-training"]');
    const training = page.locator('article.run', { hasText: 'train tracegrad on water-pbe-def2svp-rotated' });
    await expect.poll(() => training.getAttribute('data-status'), { timeout: 300_000, interval: 1000 }).toBe('done');
    const boxes = page.locator('[data-testid="compare-run"]');
    expect(await boxes.count()).toBe(2);
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const table = page.locator('[data-testid="run-comparison"] tbody tr');
    await expect.poll(() => table.count()).toBe(2);
    expect(await page.textContent('[data-testid="run-comparison"] h3')).toBe('Comparison (hartree)');
    await page.waitForSelector('[data-testid="run-comparison"] svg path', { state: 'attached' });
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-compare.png'), fullPage: true });
  }, 400_000);

  it('lists the installed models with their coverage and held-out accuracy', async () => {
    await page.click('[data-view="models"]');
    await page.waitForSelector('article.model[data-model="tiny-graphene"]');
    expect(await page.locator('article.model').count()).toBe(2);
    expect(await page.textContent('article.model[data-model="tiny-graphene"] .kind')).toBe('crystal');
    expect(await page.textContent('article.model[data-model="tiny-water"] [data-testid="model-mae"]')).toMatch(/Eh \(on-site/);
    await page.screenshot({ path: path.join(SHOTS, 'browser-mode-models.png') });
  });
});
