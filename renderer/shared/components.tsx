/** Small building blocks shared by the role screens. */
import type { ReactNode } from 'react';
import { useNow, useStreamState } from './hooks.js';

const TIME = new Intl.DateTimeFormat('zh-CN', {
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'Asia/Shanghai',
});
const DATE = new Intl.DateTimeFormat('zh-CN', {
  month: 'long',
  day: 'numeric',
  weekday: 'long',
  timeZone: 'Asia/Shanghai',
});

/** The hall's time (HH:MM) and date; `timeZone` defaults to Asia/Shanghai. */
export function HallClock({ showDate = true, className }: { showDate?: boolean; className?: string }) {
  const now = useNow(1000);
  return (
    <div className={className ?? 'hall-clock'}>
      <time className="hall-clock-time">{TIME.format(now)}</time>
      {showDate ? <span className="hall-clock-date">{DATE.format(now)}</span> : null}
    </div>
  );
}

/** A window's state: one table for every role (renderer/shared/labels.ts). */
export { WINDOW_STATE_TEXT } from './labels.js';

const STATE_TEXT = { open: '已连接', connecting: '正在连接…', closed: '连接中断，正在重试' } as const;

/** Text (not just colour) telling whether the live feed is up. */
export function ConnectionBadge() {
  const s = useStreamState();
  return (
    <span className={`conn ${s}`} role="status" aria-live="polite">
      {STATE_TEXT[s]}
    </span>
  );
}

export function ErrorBanner({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div className="error-banner" role="alert">
      {message}
    </div>
  );
}

/** The confirmation of the last action (its look, `className`, is the screen's own); nothing when there is none. */
export function StatusNote({ message, className }: { message: string | null; className: string }) {
  if (!message) return null;
  return (
    <p className={className} role="status">
      {message}
    </p>
  );
}

/** A table row's action button, there only while the action applies to the row. */
export function RowAction({
  when = true,
  danger = false,
  onClick,
  children,
}: {
  when?: boolean;
  danger?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  if (!when) return null;
  return (
    <button type="button" className={danger ? 'btn danger' : 'btn'} onClick={onClick}>
      {children}
    </button>
  );
}

export function NoticeBanner({ children }: { children: ReactNode }) {
  return (
    <div className="notice-banner" role="status">
      {children}
    </div>
  );
}

/** Minutes for an estimated wait, in words. */
export function waitText(seconds: number): string {
  if (seconds <= 0) return '无需等候';
  const m = Math.max(1, Math.round(seconds / 60));
  return m >= 60 ? `约 ${Math.floor(m / 60)} 小时 ${m % 60} 分钟` : `约 ${m} 分钟`;
}

/** The initial of a name in a round badge (staff photo placeholder). */
export function Avatar({ name, size = 160 }: { name: string; size?: number }) {
  const initial = [...name][0] ?? '？';
  return (
    <div
      className="avatar"
      aria-hidden="true"
      style={{
        width: size,
        height: size,
        borderRadius: '50%',
        background: 'var(--primary)',
        color: '#fff',
        display: 'grid',
        placeItems: 'center',
        fontSize: size * 0.45,
        fontWeight: 700,
      }}
    >
      {initial}
    </div>
  );
}

/** A table header row; every column is a `scope="col"` header. */
export function TableHead({ cols }: { cols: readonly string[] }) {
  return (
    <thead>
      <tr>
        {cols.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
      </tr>
    </thead>
  );
}

/** A table row that only says there is nothing to list. */
export function EmptyRow({ cols, children }: { cols: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={cols} className="muted">
        {children}
      </td>
    </tr>
  );
}
