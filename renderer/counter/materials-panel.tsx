/**
 * 材料: what was scanned for the ticket being served, and the button (F10) that opens the 高拍仪
 * capture. Scanning needs a ticket being served (after 开始), as the hub does.
 */
import { useEffect, useRef } from 'react';
import type { UploadedMaterial } from './finish-case.js';

export const CAPTURE_KEY = 'F10';

export function MaterialsPanel({
  materials,
  canCapture,
  keysOff,
  onCapture,
}: {
  materials: readonly UploadedMaterial[];
  canCapture: boolean;
  keysOff: boolean;
  onCapture: () => void;
}) {
  const latest = useRef(() => {});
  useEffect(() => {
    latest.current = () => {
      if (canCapture && !keysOff) onCapture();
    };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== CAPTURE_KEY) return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <section className="card c-materials-panel" aria-label="材料">
      <h2>材料</h2>
      {materials.length ? (
        <ul>
          {materials.map((m) => (
            <li key={m.sha256}>
              {m.name}{' '}
              <span className="c-dim">
                {m.pages} 页 · {Math.round(m.bytes / 1024)} KB · 已上传
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="c-dim">{canCapture ? '尚未采集材料' : '开始办理后可用高拍仪采集材料'}</p>
      )}
      <button
        type="button"
        className="btn c-action"
        disabled={!canCapture}
        onClick={onCapture}
        aria-keyshortcuts={CAPTURE_KEY}
      >
        <span className="c-action-label">采集材料</span>
        <kbd className="c-key">{CAPTURE_KEY}</kbd>
      </button>
    </section>
  );
}
