import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * Charts are drawn on the server with Observable Plot into SVG (no client JavaScript), always beside a table of
 * the same figures. A chart costs about 2 ms to draw, so drawn SVGs are cached by their inputs: the same figures
 * always give the same picture, and figures only change when data are imported.
 */

export interface ChartPoint {
  /** Category on the x axis (an academic year such as "2023/24"). */
  x: string;
  /** The series: "This school", "Local authority", "England". */
  series: string;
  value: number;
}

export interface ChartSpec {
  /** Describes the chart for screen readers; the table beside it carries the figures. */
  title: string;
  yLabel: string;
  points: ChartPoint[];
  seriesOrder: string[];
  zero?: boolean;
}

const COLOURS = ['#1d70b8', '#d4351c', '#505a5f', '#00703c', '#4c2c92'];
const SYMBOLS = ['circle', 'square', 'triangle', 'diamond', 'star'];

const { document } = parseHTML('<!doctype html><html><body></body></html>');

// Bounded by bytes: a school's five charts take about 17 kB, so 64 MB holds every chart of about 3,800 schools.
const cache = new Map<string, string>();
const CACHE_BYTES = 64 * 1024 * 1024;
let cachedBytes = 0;

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

function draw(spec: ChartSpec): string {
  const xs = [...new Set(spec.points.map((p) => p.x))];
  const colour = { domain: spec.seriesOrder, range: COLOURS.slice(0, spec.seriesOrder.length) };
  const symbol = { domain: spec.seriesOrder, range: SYMBOLS.slice(0, spec.seriesOrder.length) };
  const svg =
    xs.length >= 2
      ? Plot.plot({
          document,
          width: 640,
          height: 260,
          marginLeft: 56,
          marginRight: 30,
          x: { label: null, type: 'point', domain: xs, inset: 20 },
          y: { label: spec.yLabel, grid: true, zero: spec.zero ?? false, nice: true },
          color: colour,
          symbol,
          marks: [
            Plot.line(spec.points, { x: 'x', y: 'value', stroke: 'series', strokeWidth: 2 }),
            Plot.dot(spec.points, { x: 'x', y: 'value', stroke: 'series', fill: 'series', symbol: 'series', r: 4 }),
          ],
        })
      : Plot.plot({
          document,
          width: 640,
          height: 40 + 34 * spec.seriesOrder.length,
          marginLeft: 130,
          marginRight: 60,
          x: { label: spec.yLabel, grid: true, zero: true, nice: true },
          y: { label: null, domain: spec.seriesOrder },
          color: colour,
          marks: [
            Plot.barX(spec.points, { y: 'series', x: 'value', fill: 'series' }),
            Plot.text(spec.points, { y: 'series', x: 'value', text: (d: ChartPoint) => String(d.value), dx: 6, textAnchor: 'start' }),
            Plot.ruleX([0]),
          ],
        });
  // Plot puts a <style> element in the SVG; a strict Content Security Policy blocks it, and trellis.css carries the
  // same rules, so it is removed. Plot also labels its inner groups with aria-label, which ARIA does not allow on an
  // element without a role: the chart is one image, described once on the <svg>, with its figures in the table.
  return finish(svg, spec.title);
}

export interface RenderedChart {
  svg: string;
  /** Key to the series, drawn as HTML beside the chart: name and its colour/symbol index (trellis-swatch--N). */
  legend: { name: string; index: number | string }[];
}

/** The chart as an SVG string (cached by its inputs) with its legend. */
export function renderChart(spec: ChartSpec): RenderedChart {
  return { svg: cached(`line:${JSON.stringify(spec)}`, () => draw(spec)), legend: spec.seriesOrder.map((name, index) => ({ name, index })) };
}

function finish(svg: SVGSVGElement | HTMLElement, title: string): string {
  const markup = svg.outerHTML
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/ aria-label="[^"]*"/g, '')
    .replace(/ aria-description="[^"]*"/g, '');
  return markup.replace(/^<svg /, `<svg role="img" focusable="false" aria-label="${escapeAttribute(title)}" `);
}

export interface StripSpec {
  title: string;
  label: string;
  /** One dot per family member; the school is drawn apart. */
  members: number[];
  school: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
}

/** A strip chart: each family member a dot, the interquartile range shaded, the median a line, the school marked. */
export function renderStrip(spec: StripSpec): RenderedChart {
  const svg = cached(`strip:${JSON.stringify(spec)}`, () => {
    const marks = [
      ...(spec.q1 !== null && spec.q3 !== null ? [Plot.rectX([{ x1: spec.q1, x2: spec.q3 }], { x1: 'x1', x2: 'x2', y1: 0, y2: 1, fill: '#b1b4b6', fillOpacity: 0.5 })] : []),
      Plot.dotX(spec.members, { x: (d: number) => d, y: 0.5, r: 4, fill: '#505a5f', fillOpacity: 0.6 }),
      ...(spec.median !== null ? [Plot.ruleX([spec.median], { stroke: '#0b0c0c', strokeWidth: 2 })] : []),
      ...(spec.school !== null ? [Plot.dotX([spec.school], { x: (d: number) => d, y: 0.5, r: 8, symbol: 'diamond', fill: '#1d70b8', stroke: '#0b0c0c' })] : []),
    ];
    return finish(Plot.plot({ document, width: 640, height: 90, marginLeft: 20, marginRight: 20, marginBottom: 36, x: { label: spec.label, nice: true }, y: { axis: null, domain: [0, 1] }, marks }), spec.title);
  });
  return { svg, legend: [
    { name: 'This school', index: 'school' },
    { name: 'Family members', index: 'member' },
  ] };
}

export interface ScatterSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  points: { x: number; y: number; school: boolean }[];
}

/** The school against its family on two inputs. */
export function renderScatter(spec: ScatterSpec): RenderedChart {
  const svg = cached(`scatter:${JSON.stringify(spec)}`, () =>
    finish(
      Plot.plot({
        document,
        width: 640,
        height: 360,
        marginLeft: 60,
        grid: true,
        x: { label: spec.xLabel, nice: true },
        y: { label: spec.yLabel, nice: true },
        marks: [
          Plot.dot(spec.points.filter((p) => !p.school), { x: 'x', y: 'y', r: 4, fill: '#505a5f', fillOpacity: 0.6 }),
          Plot.dot(spec.points.filter((p) => p.school), { x: 'x', y: 'y', r: 8, symbol: 'diamond', fill: '#1d70b8', stroke: '#0b0c0c' }),
        ],
      }),
      spec.title,
    ),
  );
  return { svg, legend: [
    { name: 'This school', index: 'school' },
    { name: 'Family members', index: 'member' },
  ] };
}

function cached(key: string, make: () => string): string {
  let svg = cache.get(key);
  if (svg === undefined) {
    svg = make();
    cache.set(key, svg);
    cachedBytes += svg.length + key.length;
    for (const [k, v] of cache) {
      if (cachedBytes <= CACHE_BYTES) break;
      cache.delete(k);
      cachedBytes -= v.length + k.length;
    }
  }
  return svg;
}
