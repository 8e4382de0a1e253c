/**
 * The manual four-corner crop: the captured frame with the suggested corners as handles the staff
 * drag (mouse or touch); the polygon shows what will become the page.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Point, Quad } from './document-edges.js';

const NAMES = ['左上', '右上', '右下', '左下'];

export function CropEditor({
  frame,
  quad,
  onChange,
}: {
  frame: HTMLCanvasElement;
  quad: Quad;
  onChange: (q: Quad) => void;
}) {
  // A preview of the frame small enough to redraw cheaply; handles work in frame coordinates.
  const src = useMemo(() => frame.toDataURL('image/jpeg', 0.7), [frame]);
  const svg = useRef<SVGSVGElement>(null);
  const [drag, setDrag] = useState<number | null>(null);

  const toFrame = (e: { clientX: number; clientY: number }): Point | null => {
    const r = svg.current?.getBoundingClientRect();
    if (!r?.width) return null;
    return {
      x: Math.min(frame.width, Math.max(0, ((e.clientX - r.left) / r.width) * frame.width)),
      y: Math.min(frame.height, Math.max(0, ((e.clientY - r.top) / r.height) * frame.height)),
    };
  };

  useEffect(() => {
    if (drag === null) return;
    const move = (e: PointerEvent) => {
      const p = toFrame(e);
      if (p) onChange(quad.map((q, i) => (i === drag ? p : q)) as Quad);
    };
    const up = () => setDrag(null);
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
    return () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
  });

  const r = Math.max(frame.width, frame.height) / 60;
  return (
    <div className="c-crop" style={{ aspectRatio: `${frame.width} / ${frame.height}` }}>
      <img src={src} alt="拍摄的页面：拖动四个角对准材料的边缘" draggable={false} />
      <svg ref={svg} viewBox={`0 0 ${frame.width} ${frame.height}`}>
        <title>裁剪框</title>
        <polygon className="c-crop-area" points={quad.map((p) => `${p.x},${p.y}`).join(' ')} />
        {quad.map((p, i) => (
          <circle
            key={NAMES[i]}
            className="c-crop-handle"
            data-corner={i}
            cx={p.x}
            cy={p.y}
            r={r}
            aria-label={`${NAMES[i]}角`}
            onPointerDown={(e) => {
              e.preventDefault();
              setDrag(i);
            }}
          />
        ))}
      </svg>
    </div>
  );
}
