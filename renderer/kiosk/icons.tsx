/** Line icons for the kiosk tiles (inline SVG: no icon font, no network). */
import type { ReactNode } from 'react';

const common = {
  fill: 'none',
  stroke: 'currentColor',
  strokeWidth: 6,
  strokeLinecap: 'round' as const,
  strokeLinejoin: 'round' as const,
};

export type IconName =
  | 'ticket'
  | 'appointment'
  | 'search'
  | 'guide'
  | 'star'
  | 'card'
  | 'keypad'
  | 'person'
  | 'home'
  | 'elder'
  | 'back';

export function Icon({ name, size = 72 }: { name: IconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 100 100" aria-hidden="true" focusable="false" {...common}>
      {name === 'ticket' && (
        <>
          <path d="M15 30h70v12a8 8 0 0 0 0 16v12H15V58a8 8 0 0 0 0-16z" />
          <path d="M40 42h20M40 58h20" />
        </>
      )}
      {name === 'appointment' && (
        <>
          <rect x="15" y="22" width="70" height="62" rx="6" />
          <path d="M15 40h70M32 14v16M68 14v16M36 62l10 10 20-20" />
        </>
      )}
      {name === 'search' && (
        <>
          <circle cx="44" cy="44" r="24" />
          <path d="M62 62l22 22" />
        </>
      )}
      {name === 'guide' && (
        <>
          <path d="M50 26c-10-8-26-8-36-4v58c10-4 26-4 36 4 10-8 26-8 36-4V22c-10-4-26-4-36 4z" />
          <path d="M50 26v58" />
        </>
      )}
      {name === 'star' && <path d="M50 12l11 24 26 3-19 18 5 26-23-13-23 13 5-26-19-18 26-3z" />}
      {name === 'card' && (
        <>
          <rect x="10" y="24" width="80" height="52" rx="6" />
          <circle cx="32" cy="46" r="9" />
          <path d="M20 66c4-8 20-8 24 0M54 40h26M54 52h26M54 64h16" />
        </>
      )}
      {name === 'keypad' && (
        <>
          <rect x="18" y="12" width="64" height="76" rx="6" />
          <path d="M32 30h0M50 30h0M68 30h0M32 48h0M50 48h0M68 48h0M32 66h0M50 66h0M68 66h0" strokeWidth="10" />
        </>
      )}
      {name === 'person' && (
        <>
          <circle cx="50" cy="32" r="16" />
          <path d="M18 86c4-20 20-28 32-28s28 8 32 28" />
        </>
      )}
      {name === 'home' && <path d="M14 48L50 16l36 32M24 40v44h52V40" />}
      {name === 'elder' && <path d="M22 30h56M22 50h56M22 70h36" strokeWidth="10" />}
      {name === 'back' && <path d="M60 20L30 50l30 30" />}
    </svg>
  );
}

/** A big kiosk button with an icon before its text (the ways to identify, switching between them). */
export function IconButton({
  icon,
  onClick,
  disabled,
  children,
}: {
  icon: IconName;
  onClick: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className="btn kiosk-big-btn" disabled={disabled} onClick={onClick}>
      <Icon name={icon} size={44} />
      {children}
    </button>
  );
}
