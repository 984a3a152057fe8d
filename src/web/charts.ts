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
  const markup = svg.outerHTML
    .replace(/<style>[\s\S]*?<\/style>/, '')
    .replace(/ aria-label="[^"]*"/g, '')
    .replace(/ aria-description="[^"]*"/g, '');
  return markup.replace(/^<svg /, `<svg role="img" focusable="false" aria-label="${escapeAttribute(spec.title)}" `);
}

export interface RenderedChart {
  svg: string;
  /** Key to the series, drawn as HTML beside the chart: name and its colour/symbol index (trellis-swatch--N). */
  legend: { name: string; index: number }[];
}

/** The chart as an SVG string (cached by its inputs) with its legend. */
export function renderChart(spec: ChartSpec): RenderedChart {
  return { svg: renderSvg(spec), legend: spec.seriesOrder.map((name, index) => ({ name, index })) };
}

function renderSvg(spec: ChartSpec): string {
  const key = JSON.stringify(spec);
  let svg = cache.get(key);
  if (svg === undefined) {
    svg = draw(spec);
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
