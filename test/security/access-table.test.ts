import { describe, expect, it } from 'vitest';
import { roles, route } from '../../common/api/route-spec.js';
import { accessTableProblems, renderAccessTable } from './access-table.js';

describe('docs/security.md route × role table', () => {
  it('says exactly what the access rules of common/api/routes.ts say', () => {
    expect(accessTableProblems()).toEqual([]);
  });

  it('renders public, role, staff, own-window and terminal rules as distinct cells', () => {
    const table = renderAccessTable({
      open: route({ method: 'GET', path: '/o', summary: '公开（说明）', access: { kind: 'public' } }),
      kiosk: route({ method: 'POST', path: '/k', summary: '取号', access: roles(['kiosk'], true) }),
      win: route({ method: 'POST', path: '/windows/{no}/x', summary: '窗口', access: { kind: 'window' } }),
      me: route({ method: 'GET', path: '/terminals/me/x', summary: '终端', access: { kind: 'terminal' } }),
    });
    const row = (name: string) =>
      table
        .split('\n')
        .find((l) => l.includes(`| \`${name}\` |`))!
        .split('|')
        .slice(4, -1)
        .map((c) => c.trim());
    // Columns: none, kiosk, counter, display, evaluator, admin, staff, terminal.
    expect(row('open')).toEqual(['✓', '✓', '✓', '✓', '✓', '✓', '✓', '✓']);
    expect(row('kiosk')).toEqual(['—', '✓', '—', '—', '—', '—', '✓', '按配置角色']);
    expect(row('win')).toEqual(['—', '—', '—', '—', '—', '—', '本窗口', '—']);
    expect(row('me')).toEqual(['—', '—', '—', '—', '—', '—', '—', '✓']);
    expect(table).toContain('| 公开 |');
  });
});
