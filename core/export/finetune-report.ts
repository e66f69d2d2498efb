/**
 * The before/after report of a fine-tuning (issue "Guided fine-tuning"): report.json and a self-contained
 * report.html beside it — the errors of the base and the fine-tuned model on the held-out structures as a table
 * (crystals: also the band error within ±2 eV of E_F, DESIGN.md §7), the DFT code and parameters of the labels,
 * and the validation learning curve (ECharts, rendered to inline SVG on the server).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as echarts from 'echarts';
import { formatError } from '../contracts/units.ts';
import { writeFileAtomic } from '../io/atomic-write.ts';
import type { FinetuneReport } from '../training/finetune.ts';

const escape = (t: string) => t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function learningCurveSvg(runDir: string, baseline: number): string {
  const metrics = readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; valMae: number });
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 560, height: 300 });
  chart.setOption({
    animation: false, backgroundColor: '#fff',
    grid: { left: 72, right: 24, top: 24, bottom: 40 },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1 },
    yAxis: { type: 'log', name: 'held-out H MAE', nameLocation: 'middle', nameGap: 56 },
    series: [
      { type: 'line', showSymbol: false, lineStyle: { color: '#1f5fa8' }, data: metrics.map((m) => [m.epoch, m.valMae]) },
      { type: 'line', data: [], markLine: { symbol: 'none', label: { formatter: 'base model' }, lineStyle: { color: '#c03030', type: 'dashed' }, data: [{ yAxis: baseline }] } },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

const dftText = (dft: Record<string, unknown>) => Object.entries(dft).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('×') : String(v)}`).join(', ');

export function writeFinetuneReport(outDir: string, r: FinetuneReport): { json: string; html: string } {
  const json = path.join(outDir, 'report.json');
  const html = path.join(outDir, 'report.html');
  writeFileAtomic(json, `${JSON.stringify(r, null, 1)}\n`);
  const u = r.before.unit;
  // A metric neither model has (bands of a molecule, orbitals of a crystal) gets no row.
  const row = (label: string, a: number | undefined, b: number | undefined, fmt: (x: number) => string) => (a === undefined && b === undefined ? ''
    : `<tr><th>${label}</th><td>${a === undefined ? '—' : fmt(a)}</td><td>${b === undefined ? '—' : fmt(b)}</td></tr>`);
  const err = (x: number) => formatError(x, u);
  const pct = (x: number) => `${(100 * x).toFixed(3)} %`;
  writeFileAtomic(html, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fine-tuning report — ${escape(r.structure)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}th,td{padding:.3rem .8rem;border-bottom:1px solid #ddd;text-align:right}th:first-child{text-align:left}.verdict{font-weight:bold}</style>
</head><body>
<h1>Fine-tuning report — ${escape(r.structure)}</h1>
<p>Base model <b>${escape(r.baseModel)}</b>; ${r.labelled} snapshots labelled with ${escape(r.labeler)} (${escape(dftText(r.dft))}; ${r.failed.length} failed), ${r.train} for training and ${r.validation} held out; ${r.secondsPerScf.toFixed(1)} s per SCF.</p>
<table><thead><tr><th>held-out structures</th><th>base model</th><th>fine-tuned</th></tr></thead><tbody>
${row('H MAE', r.before.mae_H, r.after.mae_H, err)}
${row('H MAE on-site', r.before.mae_H_onsite, r.after.mae_H_onsite, err)}
${row('H MAE off-site', r.before.mae_H_offsite, r.after.mae_H_offsite, err)}
${row('occupied ε MAE', r.before.mae_eps_occ, r.after.mae_eps_occ, err)}
${row('ψ similarity', r.before.psi_similarity, r.after.psi_similarity, pct)}
${row('band MAE within ±2 eV of E_F', r.before.mae_bands, r.after.mae_bands, (x) => formatError(x, 'eV'))}
</tbody></table>
<p class="verdict">${r.improved ? `The fine-tuned model is better and was saved: ${escape(r.model ?? '')}` : 'The fine-tuned model is not better; the base model is kept.'}</p>
<h2>Validation learning curve</h2>
${learningCurveSvg(r.run, r.before.mae_H)}
${r.failed.length ? `<h2>Skipped structures</h2><ul>${r.failed.map((f) => `<li>${f.index}: ${escape(f.reason)}</li>`).join('')}</ul>` : ''}
</body></html>
`);
  return { json, html };
}
