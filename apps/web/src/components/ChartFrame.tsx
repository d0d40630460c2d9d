'use client';
import { type ReactNode, useRef } from 'react';

function chartSvg(root: HTMLElement | null): SVGSVGElement | null {
  if (!root) return null;
  return (root.querySelector('svg.chart-svg') ??
    root.querySelector('.recharts-wrapper > svg') ??
    root.querySelector('svg')) as SVGSVGElement | null;
}

function serialize(svg: SVGSVGElement): { text: string; width: number; height: number } {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const box = svg.getBoundingClientRect();
  const width = Math.round(box.width) || 800;
  const height = Math.round(box.height) || 400;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  // Text and lines inherit CSS colours in the page; give the file its own.
  const style = getComputedStyle(svg);
  clone.setAttribute(
    'style',
    `background:${getComputedStyle(document.body).backgroundColor};color:${style.color};font-family:system-ui,sans-serif;font-size:12px`,
  );
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor);
  clone.insertBefore(bg, clone.firstChild);
  return { text: new XMLSerializer().serializeToString(clone), width, height };
}

function save(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A chart with its title, SVG and PNG downloads, and a table alternative (the same numbers, for
 * screen readers and copying).
 */
export function ChartFrame({
  title,
  file,
  children,
  table,
  description,
  level = 2,
}: {
  title: string;
  file: string;
  children: ReactNode;
  table: ReactNode;
  description?: ReactNode;
  level?: 2 | 3;
}) {
  const body = useRef<HTMLDivElement>(null);
  const H = level === 2 ? 'h2' : 'h3';
  const downloadSvg = () => {
    const svg = chartSvg(body.current);
    if (!svg) return;
    save(`${file}.svg`, new Blob([serialize(svg).text], { type: 'image/svg+xml' }));
  };
  const downloadPng = () => {
    const svg = chartSvg(body.current);
    if (!svg) return;
    const { text, width, height } = serialize(svg);
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = width * 2;
      canvas.height = height * 2;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, width, height);
      canvas.toBlob((b) => b && save(`${file}.png`, b), 'image/png');
    };
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  };
  return (
    <figure className="chart-frame" aria-label={title} style={{ margin: '0.6rem 0 1rem' }}>
      <header>
        <H>{title}</H>
        <button type="button" onClick={downloadSvg} aria-label={`Download ${title} as SVG`}>
          SVG
        </button>
        <button type="button" onClick={downloadPng} aria-label={`Download ${title} as PNG`}>
          PNG
        </button>
      </header>
      {description ? <div className="muted small">{description}</div> : null}
      <div className="chart-body" ref={body}>
        {children}
      </div>
      <details>
        <summary>Table of the numbers</summary>
        <div className="table-scroll">{table}</div>
      </details>
    </figure>
  );
}
