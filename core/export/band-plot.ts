/**
 * Band-structure figures for `hamstudio bands --png/--svg`: ECharts renders the SVG on the server side (its SSR mode
 * needs no canvas or browser) — the same library the app plots with — and resvg rasterises it to PNG.
 * Energies are ε − E_F in eV; labelled k-points get vertical lines, E_F a dashed line; an optional reference
 * (e.g. DFT) is drawn in grey beneath the prediction.
 */
import { Resvg } from '@resvg/resvg-js';
import * as echarts from 'echarts';

export interface BandSeries {
  name: string;
  /** Cumulative path length per k-point, 1/Å. */
  distance: number[];
  /** nK × nBands, eV relative to E_F; with `points`, rows may differ in length. */
  energies: number[][];
  /** Draw the energies as points: a window of bands from the sparse solver has no band index to join along k. */
  points?: boolean;
}

export interface BandPlotOptions {
  title: string;
  labels: { label: string; distance: number }[];
  /** Energy window around E_F, eV (default ±4). */
  window?: number;
  width?: number;
  height?: number;
}

const COLORS = ['#1f5fa8', '#888888'];
const LABEL_TEXT: Record<string, string> = { G: 'Γ' };

function lines(s: BandSeries, color: string, width: number, window: number): (echarts.LineSeriesOption | echarts.ScatterSeriesOption)[] {
  if (s.points) {
    const data = s.energies.flatMap((row, q) => row.filter((y) => Math.abs(y) <= window).map((y) => [s.distance[q], y]));
    return [{ type: 'scatter', name: s.name, symbolSize: 3, silent: true, animation: false, itemStyle: { color }, data }];
  }
  const nBands = Math.min(...s.energies.map((r) => r.length));
  const out: echarts.LineSeriesOption[] = [];
  for (let b = 0; b < nBands; b++) {
    const ys = s.energies.map((r) => r[b]);
    if (ys.every((y) => y < -window * 1.5) || ys.every((y) => y > window * 1.5)) continue; // off the plot
    out.push({
      type: 'line', name: s.name, showSymbol: false, silent: true, animation: false,
      lineStyle: { color, width }, itemStyle: { color }, data: s.distance.map((d, q) => [d, ys[q]]),
    });
  }
  return out;
}

/** The figure as an SVG document. Series are drawn in order: put the reference last to have it beneath. */
export function bandPlotSvg(series: readonly BandSeries[], opts: BandPlotOptions): string {
  const window = opts.window ?? 4;
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  const xMax = Math.max(...series.map((s) => s.distance[s.distance.length - 1]));
  const all = series.flatMap((s, k) => lines(s, COLORS[k % COLORS.length], k === 0 ? 1.6 : 1.2, window).map((l) => ({ ...l, z: series.length - k })));
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: opts.title, left: 60, top: 8, textStyle: { fontSize: 14 } },
    legend: series.length > 1 ? { top: 8, right: 24, data: series.map((s, k) => ({ name: s.name, itemStyle: { color: COLORS[k % COLORS.length] } })) } : undefined,
    grid: { left: 64, right: 24, top: 44, bottom: 40 },
    xAxis: {
      type: 'value', min: 0, max: xMax, splitLine: { show: false }, axisTick: { show: false },
      axisLabel: {
        // Tick labels only at the labelled k-points (ECharts asks for labels at its own ticks, so match by distance).
        customValues: opts.labels.map((l) => l.distance),
        formatter: (v: number) => {
          const hit = opts.labels.find((l) => Math.abs(l.distance - v) < 1e-9 * Math.max(1, xMax));
          return hit ? (LABEL_TEXT[hit.label] ?? hit.label) : '';
        },
      },
    },
    yAxis: { type: 'value', name: 'ε − E_F (eV)', nameLocation: 'middle', nameGap: 40, min: -window, max: window },
    series: [
      ...all,
      {
        type: 'line', silent: true, data: [], markLine: {
          symbol: 'none', silent: true, label: { show: false },
          data: [
            ...opts.labels.map((l) => ({ xAxis: l.distance, lineStyle: { color: '#000000', width: 0.6, type: 'solid' as const } })),
            { yAxis: 0, lineStyle: { color: '#c03030', width: 1, type: 'dashed' as const } },
          ],
        },
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, background: '#ffffff' }).render().asPng();
}
