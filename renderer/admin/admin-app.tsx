/**
 * The hall manager's console (1920×1080): a live dashboard with charts, the terminals (pairing,
 * revocation), the devices of every terminal, the configuration (applied without restart, audited), the platform sync, and daily and
 * monthly statistics with CSV export, and 差评整改. Everything is read through the admin token.
 */
import { useState } from 'react';
import { ConnectionBadge, ErrorBanner, HallClock } from '../shared/components.js';
import { useHall } from '../shared/hooks.js';
import { AppointmentsPanel } from './appointments-panel.js';
import { ConfigPanel } from './config/config-panel.js';
import { DashboardPanel } from './dashboard-panel.js';
import { DevicesPanel } from './devices-panel.js';
import { RectificationPanel } from './rectification-panel.js';
import { StatsPanel } from './stats-panel.js';
import { SyncPanel } from './sync-panel.js';
import { TerminalsPanel } from './terminals-panel.js';
import { TokensPanel } from './tokens-panel.js';
import './admin.css';
import { TabBar } from './edit-fields.js';

type Tab =
  | 'dashboard'
  | 'terminals'
  | 'devices'
  | 'config'
  | 'tokens'
  | 'sync'
  | 'stats'
  | 'rectification'
  | 'appointments';
const TABS: { id: Tab; label: string }[] = [
  { id: 'dashboard', label: '运行概览' },
  { id: 'terminals', label: '终端' },
  { id: 'devices', label: '设备' },
  { id: 'config', label: '配置' },
  { id: 'tokens', label: '设备令牌' },
  { id: 'sync', label: '平台同步' },
  { id: 'stats', label: '统计报表' },
  { id: 'rectification', label: '差评整改' },
  { id: 'appointments', label: '预约' },
];

export function AdminApp() {
  const [tab, setTab] = useState<Tab>('dashboard');
  const { hall, error } = useHall(15_000);
  return (
    <div className="admin">
      <header className="a-header">
        <h1>
          {hall?.name ?? '大厅'} · 大厅管理
          {hall ? <span className="a-day">营业日 {hall.businessDay}</span> : null}
        </h1>
        <HallClock className="a-clock" />
        <ConnectionBadge />
      </header>
      <TabBar className="a-tabs" label="管理功能" tabs={TABS} current={tab} onSelect={setTab} />
      <main className="a-main">
        <ErrorBanner message={hall ? null : error} />
        {tab === 'dashboard' ? <DashboardPanel hall={hall} /> : null}
        {tab === 'terminals' ? <TerminalsPanel /> : null}
        {tab === 'devices' ? <DevicesPanel /> : null}
        {tab === 'config' ? <ConfigPanel /> : null}
        {tab === 'tokens' ? <TokensPanel /> : null}
        {tab === 'sync' ? <SyncPanel /> : null}
        {tab === 'stats' ? <StatsPanel hall={hall} /> : null}
        {tab === 'rectification' ? <RectificationPanel /> : null}
        {tab === 'appointments' && hall ? <AppointmentsPanel today={hall.businessDay} /> : null}
      </main>
    </div>
  );
}
